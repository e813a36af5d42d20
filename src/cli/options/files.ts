import { UNITS } from '../../model/units.js';
import { parsePidList } from '../values/report.js';
import type { ArgsOf, OptionTable } from '../commandArgs.js';

/** What `files` groups its rows by beside the file: nothing (one row per file), or the program paying for it. */
export const FILES_GROUPINGS = ['file', 'program'] as const;

export const FILES_OPTIONS = {
  by: { choices: FILES_GROUPINGS, default: 'file' as const, describe: 'One row per file, or per file and the program that maps it' },
  mappings: { type: 'boolean', default: false, describe: "One row per file and permission (a library's r-xp code, rw-p data, r--p relro apart)" },
  pid: { alias: 'p', type: 'string', describe: 'Only these PIDs (comma-separated)', coerce: parsePidList },
  user: { alias: 'u', type: 'string', describe: 'Only processes of this user (name or UID)' },
  match: { type: 'string', describe: 'Only rows whose path (or program, with --by program) matches REGEX (RE2 syntax; (?i) ignores case)' },
  top: { alias: 'n', type: 'string', describe: 'Show only the first N rows; the rest are summed in one line' },
  json: { type: 'boolean', default: false, describe: 'Print JSON (footprint.files/1)' },
  csv: { type: 'boolean', default: false, describe: 'Print CSV, byte counts' },
  units: { choices: UNITS, default: 'auto' as const, describe: 'Units for text output' },
  wide: { type: 'boolean', default: false, describe: 'Whole paths on a terminal too (they are shortened in the middle to fit its width otherwise)' },
  'proc-root': { type: 'string', describe: 'Read a captured /proc tree instead of /proc' },
} as const satisfies OptionTable;

export type FilesArgs = ArgsOf<typeof FILES_OPTIONS>;
