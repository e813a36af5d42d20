import type { Argv } from 'yargs';
import type { GroupBy } from '../model/report.js';
import { UsageError } from './errors.js';
import { REPORT_DEFAULTS } from './reportDefaults.js';

export const GROUP_CHOICES: GroupBy[] = ['program', 'cmdline', 'pid', 'user', 'cgroup'];

/** Options that decide what a scan measures; shared by the report and `save`. */
export interface ScanArgs {
  group: GroupBy;
  estimate: boolean;
  pid?: number[];
  user?: string;
  procRoot?: string;
}

export function withScanOptions<T>(yargs: Argv<T>) {
  return yargs
    .option('group', { choices: GROUP_CHOICES, default: REPORT_DEFAULTS.group as GroupBy, describe: 'What to group processes by' })
    .option('estimate', {
      type: 'boolean', default: REPORT_DEFAULTS.estimate as boolean,
      describe: 'Also list processes whose smaps are not readable, estimated from /proc/PID/status',
    })
    .option('pid', {
      alias: 'p', type: 'string', describe: 'Only these PIDs (comma-separated)',
      coerce: parsePidList,
    })
    .option('user', { alias: 'u', type: 'string', describe: 'Only processes of this user (name or UID)' })
    .option('proc-root', { type: 'string', describe: 'Read a captured /proc tree instead of /proc' });
}

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
