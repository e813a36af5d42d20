import { UNITS } from '../../model/units.js';
import type { ArgsOf, OptionTable, PositionalTable } from '../commandArgs.js';
import { QUIET_OPTION } from './quiet.js';

export const RUN_POSITIONALS = {
  command: { type: 'string', array: true, describe: 'The command and its arguments, after --' },
} as const satisfies PositionalTable;

/** run's options, as yargs' option definitions; the fast path (runArguments.ts) reads the same table. */
export const RUN_OPTIONS = {
  interval: { type: 'string', describe: 'Sample every DURATION (100ms, 2s); default 20ms, stretched on long runs and large trees (a probe every 5 ms catches new highs between)' },
  mark: { type: 'string', describe: "Lines of the command's stdout or stderr matching REGEX (RE2 syntax, linear time) are marks on the timeline, each with the memory then (output then goes through a pipe)" },
  cgroup: { type: 'boolean', default: true, describe: 'As root, run the command in a memory cgroup of its own (the kernel\'s peak charge; daemons stay members); --no-cgroup: not' },
  mappings: { type: 'boolean', default: false, describe: 'Also say which libraries or regions held the peak (reads smaps at new peaks)' },
  json: { type: 'string', describe: 'Write the footprint.run/1 document to FILE' },
  html: { type: 'string', describe: 'Write a self-contained HTML page of the run (chart, marks, summary) to FILE' },
  units: { choices: UNITS, default: 'auto' as const, describe: 'Units for the summary' },
  quiet: QUIET_OPTION,
} as const satisfies OptionTable;

export type RunArgs = ArgsOf<typeof RUN_OPTIONS, typeof RUN_POSITIONALS> & {
  /** yargs leaves what follows `--` in `_`, after the command's own name. */
  _: (string | number)[];
};
