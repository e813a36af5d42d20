import type { Options } from 'yargs';
import { UNITS as UNIT_CHOICES } from '../model/units.js';
import { readOptionTable, type OptionTable } from './optionTable.js';
import type { RunArgs } from './commands/run.js';

/** run's options, as yargs' option definitions; the fast path (readRunArguments) reads the same table. */
export const RUN_OPTIONS = {
  interval: { type: 'string', describe: 'Sample every DURATION (100ms, 2s); default 20ms, stretched on long runs and large trees (a probe every 5 ms catches new highs between)' },
  mark: { type: 'string', describe: "Lines of the command's stdout or stderr matching REGEX (RE2 syntax, linear time) are marks on the timeline, each with the memory then (output then goes through a pipe)" },
  cgroup: { type: 'boolean', default: true, describe: 'As root, run the command in a memory cgroup of its own (the kernel\'s peak charge; daemons stay members); --no-cgroup: not' },
  mappings: { type: 'boolean', default: false, describe: 'Also say which libraries or regions held the peak (reads smaps at new peaks)' },
  json: { type: 'string', describe: 'Write the footprint.run/1 document to FILE' },
  html: { type: 'string', describe: 'Write a self-contained HTML page of the run (chart, marks, summary) to FILE' },
  units: { choices: UNIT_CHOICES, default: 'auto' as const, describe: 'Units for the summary' },
} as const satisfies Record<string, Options>;

/**
 * `run [OPTIONS] -- CMD [ARGS...]` read without yargs, so that footprint starts
 * CMD as soon as it can: the options before `--` through readOptionTable, CMD
 * and its arguments untouched after it. Undefined (yargs reads it all) without
 * `--`, without a command, or at any doubt about the options.
 */
export function readRunArguments(argv: readonly string[]): RunArgs | undefined {
  const end = argv.indexOf('--');
  if (end < 0 || end === argv.length - 1) return undefined;
  const given = readOptionTable(argv.slice(0, end), RUN_OPTIONS as OptionTable);
  if (given === undefined) return undefined;
  return {
    _: ['run', ...argv.slice(end + 1)],
    interval: given.interval as string | undefined,
    mark: given.mark as string | undefined,
    mappings: given.mappings as boolean,
    cgroup: given.cgroup as boolean,
    json: given.json as string | undefined,
    html: given.html as string | undefined,
    units: given.units as RunArgs['units'],
  };
}
