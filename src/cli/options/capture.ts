import type { ArgsOf, OptionTable, PositionalTable } from '../commandArgs.js';
import { QUIET_OPTION } from './quiet.js';

export const CAPTURE_POSITIONALS = {
  // demandOption tells the types what <dir> in the synopsis already makes yargs demand (positional() drops the key).
  dir: { type: 'string', demandOption: true, describe: 'Directory to write DIR/proc/... into' },
} as const satisfies PositionalTable;

export const CAPTURE_OPTIONS = {
  pid: { alias: 'p', type: 'string', describe: 'Only these PIDs (comma-separated)' },
  'proc-root': { type: 'string', describe: 'Copy from this tree instead of /proc' },
  quiet: { ...QUIET_OPTION, describe: 'Do not print the line saying what was captured' },
} as const satisfies OptionTable;

export type CaptureArgs = ArgsOf<typeof CAPTURE_OPTIONS, typeof CAPTURE_POSITIONALS>;
