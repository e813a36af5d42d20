import type { Argv, Options } from 'yargs';
import type { GroupBy } from '../model/report.js';
import { UsageError } from '../errors.js';
import { REPORT_DEFAULTS } from './reportDefaults.js';
import { SORT_KEYS } from '../model/sortKeys.js';
import { UNITS as UNIT_CHOICES } from '../model/units.js';

export const GROUP_CHOICES: GroupBy[] = ['program', 'cmdline', 'pid', 'user', 'cgroup'];

export function parsePidList(value: string | string[] | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : String(value);
  const pids = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (pids.length === 0) throw new UsageError('--pid needs at least one PID');
  return pids.map((part) => {
    if (!/^\d+$/.test(part) || Number(part) <= 0) throw new UsageError(`--pid: "${part}" is not a PID`);
    return Number(part);
  });
}

export function parsePositiveInteger(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new UsageError(`${name}: "${text}" is not a positive whole number`);
  return Number(text);
}

/**
 * The scan's options (the report and `save`), as yargs' option definitions.
 * The report's fast path (reportArguments.ts) reads the same table, so that
 * names, aliases, types, choices and defaults cannot drift apart.
 */
export const SCAN_OPTIONS = {
  group: { choices: GROUP_CHOICES, default: REPORT_DEFAULTS.group as GroupBy, describe: 'What to group processes by' },
  estimate: {
    type: 'boolean', default: REPORT_DEFAULTS.estimate as boolean,
    describe: 'Also list processes whose smaps are not readable, estimated from /proc/PID/status',
  },
  pid: { alias: 'p', type: 'string', describe: 'Only these PIDs (comma-separated)', coerce: parsePidList },
  user: { alias: 'u', type: 'string', describe: 'Only processes of this user (name or UID)' },
  'proc-root': { type: 'string', describe: 'Read a captured /proc tree instead of /proc' },
} as const satisfies Record<string, Options>;

/** Every option of the report (the default command): the scan's, then how to rank and print. */
export const REPORT_OPTIONS = {
  ...SCAN_OPTIONS,
  sort: { choices: SORT_KEYS, default: REPORT_DEFAULTS.sort, describe: 'Rank by this column' },
  reverse: { type: 'boolean', default: REPORT_DEFAULTS.reverse as boolean, describe: 'Smallest first' },
  top: { alias: 'n', type: 'string', describe: 'Show only the first N groups' },
  json: { type: 'boolean', default: REPORT_DEFAULTS.json as boolean, describe: 'Print the footprint.report/1 JSON document' },
  csv: { type: 'boolean', default: REPORT_DEFAULTS.csv as boolean, describe: 'Print CSV, byte counts' },
  units: { choices: UNIT_CHOICES, default: REPORT_DEFAULTS.units, describe: 'Units for text output' },
  wide: { type: 'boolean', default: REPORT_DEFAULTS.wide as boolean, describe: "Whole rows on a terminal too (they are fitted to its width otherwise)" },
} as const satisfies Record<string, Options>;

export function withScanOptions<T>(yargs: Argv<T>) {
  return yargs.options(SCAN_OPTIONS);
}
