import { RUN_OPTIONS, type RunArgs } from './options/run.js';
import { readOptionTable } from './optionTable.js';

/**
 * `run [OPTIONS] -- CMD [ARGS...]` read without yargs, so that footprint starts
 * CMD as soon as it can: the options before `--` through readOptionTable, CMD
 * and its arguments untouched after it. Undefined (yargs reads it all) without
 * `--`, without a command, or at any doubt about the options.
 */
export function readRunArguments(argv: readonly string[]): RunArgs | undefined {
  const end = argv.indexOf('--');
  if (end < 0 || end === argv.length - 1) return undefined;
  const given = readOptionTable(argv.slice(0, end), RUN_OPTIONS);
  return given === undefined ? undefined : { ...given, _: ['run', ...argv.slice(end + 1)] };
}
