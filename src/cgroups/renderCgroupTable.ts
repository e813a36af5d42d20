import { escapeText } from '../render/escapeText.js';
import { renderTextTable } from '../render/textTable.js';
import { formatBytes } from '../render/units.js';
import type { Limit } from '../cgroupfs/cgroupValue.js';
import type { CgroupRow } from './model.js';

const UNKNOWN = '-';

function limitText(limit: Limit | undefined): string {
  return limit === undefined ? UNKNOWN : limit === null ? 'none' : formatBytes(limit);
}

/** v2: memory.max, and memory.high beside it; v1: limit_in_bytes, and the soft limit. */
function limitsText(row: CgroupRow): string {
  const { max, high } = row.limits;
  const soft = row.version === 1 ? 'soft' : 'high';
  return high === undefined || high === null ? limitText(max) : `${limitText(max)} (${soft} ${formatBytes(high)})`;
}

function headroomText(row: CgroupRow): string {
  if (row.headroom === undefined) return row.limits.max === null ? 'no limit' : UNKNOWN;
  return `${row.headroom < 0 ? '-' : ''}${formatBytes(Math.abs(row.headroom))} (${row.headroomPercent!.toFixed(1)}%)`;
}

function nameOf(row: CgroupRow, tree: boolean, baseDepth: number): string {
  if (!tree || row.path === '/') return escapeText(row.path);
  const indent = '  '.repeat(Math.max(0, row.depth - baseDepth));
  return `${indent}${escapeText(row.path.slice(row.path.lastIndexOf('/') + 1))}`;
}

export interface CgroupTableOptions {
  fancy: boolean;
  tree: boolean;
}

/** One row per cgroup: charge, limits, headroom, peak, OOM kills, and the processes' side. */
export function renderCgroupTable(rows: readonly CgroupRow[], options: CgroupTableOptions): string {
  const baseDepth = rows.reduce((least, row) => Math.min(least, row.depth), Infinity);
  const table = [['CGROUP', 'CHARGE', 'LIMIT', 'HEADROOM', 'PEAK', 'OOM KILLS', 'PROCS', 'WRITABLE', 'NEXT VICTIM']];
  for (const row of rows) {
    const held = row.held;
    table.push([
      nameOf(row, options.tree, baseDepth),
      row.charge === undefined ? UNKNOWN : formatBytes(row.charge.charge),
      limitsText(row),
      headroomText(row),
      row.peak === undefined ? UNKNOWN : formatBytes(row.peak),
      row.oom?.oomKills === undefined ? UNKNOWN : String(row.oom.oomKills),
      held === undefined ? UNKNOWN : held.measured === held.processes ? String(held.processes) : `${held.processes} (${held.measured} measured)`,
      held === undefined ? UNKNOWN : formatBytes(held.writable),
      victimText(row),
    ]);
  }
  return renderTextTable(table, { fancy: options.fancy, align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'], rulesAfter: [] });
}

/** "memhog [812] 912", "(tie of 3)" where scores tie; "none" where every member scored is exempt. */
export function victimText(row: CgroupRow): string {
  const victim = row.nextVictim;
  if (victim === undefined) return UNKNOWN;
  if (victim.pid === null) return 'none';
  return `${escapeText(victim.name ?? '?')} [${victim.pid}] ${victim.oomScore}${victim.tied === undefined ? '' : ` (tie of ${victim.tied})`}`;
}

/** What the columns are, from which files: a few lines under the table. */
export function describeColumns(version: 1 | 2, withMembers: boolean): string {
  const lines = version === 2
    ? ['CHARGE: memory.current (the cgroup and its descendants). LIMIT: memory.max (high: memory.high). PEAK: memory.peak (5.19+).',
      'OOM KILLS: memory.events oom_kill. HEADROOM: memory.max - memory.current.']
    : ['CHARGE: total_rss + total_cache of memory.stat + memory.kmem.usage_in_bytes (the cgroup and its descendants); not',
      'usage_in_bytes, fuzzy by design (per-CPU charge batches). LIMIT: memory.limit_in_bytes (soft: soft_limit_in_bytes).',
      'HEADROOM: limit_in_bytes - usage_in_bytes, the counter the kernel holds to the limit. PEAK: max_usage_in_bytes.',
      'OOM KILLS: memory.oom_control oom_kill.'];
  lines.push(withMembers
    ? 'PROCS: member processes of the cgroup and its descendants (cgroup.procs); WRITABLE: their Private_Dirty, of those measured.'
    : 'PROCS, WRITABLE: unknown (a captured cgroup tree without --proc-root).');
  lines.push(withMembers
    ? 'NEXT VICTIM: the member the OOM killer would pick first, by oom_score (world-readable: measured or not; - where none has one).'
    : 'NEXT VICTIM: unknown (needs the members\' /proc).');
  return `${lines.join('\n')}\n`;
}
