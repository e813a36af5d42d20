import { UNITS } from '../../model/units.js';
import { HISTORY_METRICS } from '../../reduce/historyMetrics.js';
import type { ArgsOf, OptionTable, PositionalTable } from '../commandArgs.js';
import { SCAN_OPTIONS } from './report.js';
import { QUIET_OPTION } from './quiet.js';
import { MATCH_OPTION } from './match.js';

/** save, diff and history: the daily-report commands' options. */

const DIR_OPTION = {
  type: 'string',
  describe: 'Report directory (default: $FOOTPRINT_DIR, else ${XDG_STATE_HOME:-~/.local/state}/footprint)',
} as const;

export const SAVE_OPTIONS = {
  ...SCAN_OPTIONS,
  dir: DIR_OPTION,
  keep: { type: 'string', describe: 'Then delete saved reports older than this (12h, 30d, 8w)' },
  verbose: { alias: 'v', type: 'boolean', default: false, describe: 'Print the path written' },
  quiet: QUIET_OPTION,
} as const satisfies OptionTable;

export type SaveArgs = ArgsOf<typeof SAVE_OPTIONS>;

export const DIFF_POSITIONALS = {
  // demandOption tells the types what <old> <new> in the synopsis already make yargs demand (positional() drops the key).
  old: { type: 'string', demandOption: true, describe: 'Older report: a file, latest, previous or a UTC day' },
  new: { type: 'string', demandOption: true, describe: 'Newer report: a file, latest, previous or a UTC day' },
} as const satisfies PositionalTable;

export const DIFF_OPTIONS = {
  dir: DIR_OPTION,
  json: { type: 'boolean', default: false, describe: 'Print JSON (footprint.diff/1)' },
  all: { type: 'boolean', default: false, describe: 'Also list groups that did not change' },
  match: MATCH_OPTION,
  'fail-over': { type: 'string', describe: "Exit 3 if any program's writable memory grew by more than SIZE (e.g. 100MiB)" },
  units: { choices: UNITS, default: 'auto' as const, describe: 'Units for text output' },
  wide: { type: 'boolean', default: false, describe: 'Names whole on a terminal too (they are shortened in the middle to fit its width otherwise)' },
} as const satisfies OptionTable;

export type DiffArgs = ArgsOf<typeof DIFF_OPTIONS, typeof DIFF_POSITIONALS>;

export const HISTORY_OPTIONS = {
  dir: DIR_OPTION,
  since: { type: 'string', default: '30d', describe: 'How far back (12h, 30d, 8w, 365d)' },
  program: { type: 'string', array: true, describe: 'Only this program (repeatable): its group name, or the name without its script (python3) or its script alone (app.py)' },
  match: MATCH_OPTION,
  top: { alias: 'n', type: 'string', default: '5', describe: 'How many groups, by their peak' },
  metric: { choices: HISTORY_METRICS, default: 'writable' as const, describe: 'Which figure to follow' },
  html: { type: 'string', describe: 'Write a self-contained HTML page with the chart to FILE' },
  json: { type: 'boolean', describe: 'Print the series as JSON (footprint.history/1)' },
  units: { choices: UNITS, default: 'auto' as const, describe: 'Units for the table' },
  wide: { type: 'boolean', default: false, describe: 'Names whole on a terminal too (they are shortened in the middle to fit its width otherwise)' },
  quiet: QUIET_OPTION,
} as const satisfies OptionTable;

/** history's arguments: --top read as a whole number (by the command, after yargs' checks). */
export type HistoryArgs = Omit<ArgsOf<typeof HISTORY_OPTIONS>, 'top'> & { top?: number };
