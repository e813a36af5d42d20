import { escapeText } from '../render/escapeText.js';
import { renderTextTable } from '../render/textTable.js';
import { fitName, shortenMiddle, widestLine, wrapLines } from '../render/fitWidth.js';
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

function nameOf(row: CgroupRow, tree: boolean, baseDepth: number, width: number): string {
  if (!tree || row.path === '/') return fitName(row.path, width);
  const indent = '  '.repeat(Math.max(0, row.depth - baseDepth));
  return `${indent}${fitName(row.path.slice(row.path.lastIndexOf('/') + 1), Math.max(4, width - indent.length))}`;
}

export interface CgroupTableOptions {
  fancy: boolean;
  tree: boolean;
  /** A terminal's width: names shortened in the middle, then columns left out, so that no row is wider. Undefined: whole. */
  width?: number;
}

const HEADINGS = ['CGROUP', 'CHARGE', 'LIMIT', 'HEADROOM', 'PEAK', 'OOM KILLS', 'PROCS', 'WRITABLE', 'NEXT VICTIM'];
const ALIGN: ('left' | 'right')[] = ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'];
/** Where names shortened to NAME_FLOOR columns still leave a row too wide, these columns go, in this order (--wide keeps all). */
const LEFT_OUT_ORDER = ['PEAK', 'OOM KILLS', 'HEADROOM', 'NEXT VICTIM', 'PROCS', 'LIMIT'];
const NAME_FLOOR = 12;

/** One row per cgroup: charge, limits, headroom, peak, OOM kills, and the processes' side. */
export function renderCgroupTable(rows: readonly CgroupRow[], options: CgroupTableOptions): string {
  const baseDepth = rows.reduce((least, row) => Math.min(least, row.depth), Infinity);
  const draw = (nameWidth: number, shown: readonly string[]) => {
    const keep = HEADINGS.map((heading) => shown.includes(heading));
    const pick = <T>(cells: T[]) => cells.filter((_, index) => keep[index]);
    const table = [pick(HEADINGS)];
    for (const row of rows) {
      const held = row.held;
      table.push(pick([
        nameOf(row, options.tree, baseDepth, nameWidth),
        row.charge === undefined ? UNKNOWN : formatBytes(row.charge.charge),
        limitsText(row),
        headroomText(row),
        row.peak === undefined ? UNKNOWN : formatBytes(row.peak),
        row.oom?.oomKills === undefined ? UNKNOWN : String(row.oom.oomKills),
        held === undefined ? UNKNOWN : held.measured === held.processes ? String(held.processes) : `${held.processes} (${held.measured} measured)`,
        held === undefined ? UNKNOWN : formatBytes(held.writable),
        shortenMiddle(victimText(row), nameWidth),
      ]));
    }
    return renderTextTable(table, { fancy: options.fancy, align: pick(ALIGN), rulesAfter: [] });
  };
  const { width } = options;
  const whole = draw(width ?? Infinity, HEADINGS);
  if (width === undefined || widestLine(whole) <= width) return whole;
  // Columns go (LEFT_OUT_ORDER) only while names at NAME_FLOOR still leave a row too wide; then the names take the room left.
  let shown = HEADINGS;
  for (const heading of LEFT_OUT_ORDER) {
    if (widestLine(draw(NAME_FLOOR, shown)) <= width) break;
    shown = shown.filter((name) => name !== heading);
  }
  let nameWidth = width;
  let table = draw(nameWidth, shown);
  // The name and the next victim both give way: half the excess each, a few times over.
  for (let tries = 0; tries < 6 && widestLine(table) > width && nameWidth > NAME_FLOOR; tries++) {
    nameWidth = Math.max(NAME_FLOOR, nameWidth - Math.ceil((widestLine(table) - width) / 2));
    table = draw(nameWidth, shown);
  }
  if (widestLine(table) > width) table = draw(4, shown);
  const left = HEADINGS.filter((heading) => !shown.includes(heading));
  return left.length === 0 ? table : `${table}${wrapLines(`(Left out to fit the terminal: ${left.join(', ')}; --wide shows every column.)`, width)}\n`;
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
