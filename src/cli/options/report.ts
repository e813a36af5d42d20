import type { GroupBy } from '../../model/report.js';
import { SORT_KEYS } from '../../model/sortKeys.js';
import { UNITS } from '../../model/units.js';
import { REPORT_DEFAULTS } from '../reportDefaults.js';
import { parsePidList } from '../values/report.js';
import { GROUPINGS } from '../../model/report.js';
import type { ArgsOf, OptionTable } from '../commandArgs.js';
import { MATCH_OPTION } from './match.js';

/**
 * The scan's options (the report and `save`), as yargs' option definitions.
 * The report's fast path (reportArguments.ts) reads the same table, so that
 * names, aliases, types, choices and defaults cannot drift apart.
 */
export const SCAN_OPTIONS = {
  group: { choices: GROUPINGS, default: REPORT_DEFAULTS.group as GroupBy, describe: 'What to group processes by' },
  estimate: {
    type: 'boolean', default: REPORT_DEFAULTS.estimate as boolean,
    describe: 'Also list processes whose smaps are not readable, estimated from /proc/PID/status',
  },
  pid: { alias: 'p', type: 'string', describe: 'Only these PIDs (comma-separated)', coerce: parsePidList },
  user: { alias: 'u', type: 'string', describe: 'Only processes of this user (name or UID)' },
  'proc-root': { type: 'string', describe: 'Read a captured /proc tree instead of /proc' },
} as const satisfies OptionTable;

/** Every option of the report (the default command): the scan's, then how to rank and print. */
export const REPORT_OPTIONS = {
  ...SCAN_OPTIONS,
  sort: { choices: SORT_KEYS, default: REPORT_DEFAULTS.sort, describe: 'Rank by this column' },
  reverse: { type: 'boolean', default: REPORT_DEFAULTS.reverse as boolean, describe: 'Smallest first' },
  top: { alias: 'n', type: 'string', describe: 'Show only the first N groups' },
  json: { type: 'boolean', default: REPORT_DEFAULTS.json as boolean, describe: 'Print the footprint.report/1 JSON document' },
  csv: { type: 'boolean', default: REPORT_DEFAULTS.csv as boolean, describe: 'Print CSV, byte counts' },
  units: { choices: UNITS, default: REPORT_DEFAULTS.units, describe: 'Units for text output' },
  match: MATCH_OPTION,
  wide: { type: 'boolean', default: REPORT_DEFAULTS.wide as boolean, describe: "Whole rows on a terminal too (they are fitted to its width otherwise)" },
  system: {
    type: 'boolean', default: REPORT_DEFAULTS.system as boolean,
    describe: 'The System block part by part (kernel, page cache, slab, and the cgroups charged), not its three-line summary; --json always has every part',
  },
  timing: { type: 'boolean', describe: "With --json: each process's exact read (smaps_rollup) timed, in \"timing\", slowest first: who is expensive to measure" },
} as const satisfies OptionTable;

/** Options that decide what a scan measures, as the report and `save` read them. */
export type ScanArgs = ArgsOf<typeof SCAN_OPTIONS>;

/** The report's arguments: --top read as a whole number (by the command, after yargs' checks). */
export type ReportArgs = Omit<ArgsOf<typeof REPORT_OPTIONS>, 'top'> & { top?: number };
