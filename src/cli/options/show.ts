import { UNITS } from '../../model/units.js';
import type { ArgsOf, OptionTable, PositionalTable } from '../commandArgs.js';

export const SHOW_POSITIONALS = {
  // demandOption tells the types what <pid> in the synopsis already makes yargs demand (positional() drops the key).
  pid: { type: 'string', demandOption: true, describe: 'Process ID' },
} as const satisfies PositionalTable;

export const SHOW_OPTIONS = {
  mappings: { type: 'boolean', default: false, describe: 'One row per backing file, by private dirty' },
  json: { type: 'boolean', default: false, describe: 'Print JSON' },
  units: { choices: UNITS, default: 'auto' as const, describe: 'Units for text output: auto gives each figure its own (5.0 MiB beside 1.2 GiB); another unit is used for every figure' },
  wide: { type: 'boolean', default: false, describe: 'Names and paths whole on a terminal too (they are shortened in the middle to fit its width otherwise)' },
  'proc-root': { type: 'string', describe: 'Read a captured /proc tree instead of /proc' },
} as const satisfies OptionTable;

export type ShowArgs = ArgsOf<typeof SHOW_OPTIONS, typeof SHOW_POSITIONALS>;
