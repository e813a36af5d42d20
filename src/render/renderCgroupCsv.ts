import { csvField } from './reportCsv.js';
import type { CgroupRow } from '../cgroups/core/model.js';

const COLUMNS = ['path', 'depth', 'charge', 'charge_source', 'limit', 'high', 'headroom', 'headroom_percent', 'peak', 'oom_kills', 'processes', 'measured', 'writable', 'next_victim_pid', 'next_victim_oom_score'];

/** One header line and one line per cgroup; bytes as integers, empty where unknown, "none" for no limit. */
export function renderCgroupCsv(rows: readonly CgroupRow[]): string {
  const value = (figure: number | null | undefined): string => (figure === undefined ? '' : figure === null ? 'none' : String(figure));
  const lines = [COLUMNS.join(',')];
  for (const row of rows) {
    lines.push([
      csvField(row.path), String(row.depth), value(row.charge?.charge), row.charge?.source ?? '',
      value(row.limits.max), value(row.limits.high), value(row.headroom), value(row.headroomPercent), value(row.peak),
      value(row.oom?.oomKills), value(row.held?.processes), value(row.held?.measured), value(row.held?.writable),
      row.nextVictim === undefined ? '' : row.nextVictim.pid === null ? 'none' : String(row.nextVictim.pid), value(row.nextVictim?.oomScore),
    ].join(','));
  }
  return `${lines.join('\n')}\n`;
}
