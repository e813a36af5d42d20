import { escapeText } from './escapeText.js';
import { renderTextTable } from './textTable.js';
import { displayWidth, fitName, shortenMiddle, widestLine, wrapLines } from './fitWidth.js';
import { formatBytes } from './units.js';
import type { Limit } from '../kernel/cgroupfs/cgroupValue.js';
import type { CgroupRow } from '../cgroups/core/model.js';

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

/** A row's name cell: the whole path (flat, or the top), or its last part indented by its depth (tree). */
function nameParts(row: CgroupRow, tree: boolean, baseDepth: number): { indent: string; name: string } {
  if (!tree || row.path === '/') return { indent: '', name: row.path };
  return { indent: '  '.repeat(Math.max(0, row.depth - baseDepth)), name: row.path.slice(row.path.lastIndexOf('/') + 1) };
}

function nameCell(parts: { indent: string; name: string }, width: number): string {
  return parts.indent === '' ? fitName(parts.name, width) : `${parts.indent}${fitName(parts.name, Math.max(4, width - parts.indent.length))}`;
}

/** The columns a name cell takes at most when names are given `width`: fitName's, without making the text. */
function nameCellWidth(indent: number, whole: number, width: number): number {
  return indent === 0 ? Math.min(whole, width) : indent + Math.min(whole, Math.max(4, width - indent));
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

const GAP = 2;

/**
 * One row per cgroup: charge, limits, headroom, peak, OOM kills, and the
 * processes' side. Every cell is made once; fitting the width (which columns
 * go, how much room the names get) is reckoned from the cells' widths, and
 * the table drawn once: time proportional to the rows.
 */
export function renderCgroupTable(rows: readonly CgroupRow[], options: CgroupTableOptions): string {
  const baseDepth = rows.reduce((least, row) => Math.min(least, row.depth), Infinity);
  const names = rows.map((row) => nameParts(row, options.tree, baseDepth));
  const victims = rows.map(victimText);
  // The columns between the name and the next victim, whole: their cells never change.
  const middle = rows.map((row) => {
    const held = row.held;
    return [
      row.charge === undefined ? UNKNOWN : formatBytes(row.charge.charge),
      limitsText(row),
      headroomText(row),
      row.peak === undefined ? UNKNOWN : formatBytes(row.peak),
      row.oom?.oomKills === undefined ? UNKNOWN : String(row.oom.oomKills),
      held === undefined ? UNKNOWN : held.measured === held.processes ? String(held.processes) : `${held.processes} (${held.measured} measured)`,
      held === undefined ? UNKNOWN : formatBytes(held.writable),
    ];
  });
  const draw = (nameWidth: number, shown: readonly string[]) => {
    const keep = HEADINGS.map((heading) => shown.includes(heading));
    const pick = <T>(cells: T[]) => cells.filter((_, index) => keep[index]);
    const table = [pick(HEADINGS)];
    rows.forEach((_, index) => {
      table.push(pick([nameCell(names[index], nameWidth), ...middle[index], shortenMiddle(victims[index], nameWidth)]));
    });
    return renderTextTable(table, { fancy: options.fancy, align: pick(ALIGN), rulesAfter: [] });
  };
  const { width } = options;
  if (width === undefined) return draw(Infinity, HEADINGS);

  // The widths reckoned once: the middle columns' (heading included), each name's and each victim's whole.
  const middleWidths = HEADINGS.slice(1, -1).map((heading, column) => middle.reduce((widest, cells) => Math.max(widest, displayWidth(cells[column])), displayWidth(heading)));
  const nameWidths = names.map((parts) => ({ indent: parts.indent.length, whole: displayWidth(escapeText(parts.name)) }));
  const victimWidths = victims.map(displayWidth);
  /** The widest line of draw(nameWidth, shown), or a little more (an ellipsis may leave a column unused): no text made. */
  const widthOf = (nameWidth: number, shown: readonly string[]): number => {
    let nameColumn = displayWidth(HEADINGS[0]);
    for (const { indent, whole } of nameWidths) nameColumn = Math.max(nameColumn, nameCellWidth(indent, whole, nameWidth));
    const columns = [nameColumn, ...middleWidths, victimWidths.reduce((widest, each) => Math.max(widest, Math.min(each, nameWidth)), displayWidth(HEADINGS[HEADINGS.length - 1]))];
    const kept = columns.filter((_, index) => shown.includes(HEADINGS[index]));
    return kept.reduce((sum, each) => sum + each, 0) + GAP * (kept.length - 1);
  };
  if (widthOf(Infinity, HEADINGS) <= width) return draw(Infinity, HEADINGS);
  // Columns go (LEFT_OUT_ORDER) only while names at NAME_FLOOR still leave a row too wide; then the names take the room left.
  let shown = HEADINGS;
  for (const heading of LEFT_OUT_ORDER) {
    if (widthOf(NAME_FLOOR, shown) <= width) break;
    shown = shown.filter((name) => name !== heading);
  }
  // The name and the next victim both give way: the widest room for them that fits (widthOf grows with it), found by halving.
  let nameWidth = NAME_FLOOR;
  for (let low = NAME_FLOOR, high = width; low <= high;) {
    const middleWidth = Math.floor((low + high) / 2);
    if (widthOf(middleWidth, shown) <= width) {
      nameWidth = middleWidth;
      low = middleWidth + 1;
    } else high = middleWidth - 1;
  }
  let table = draw(nameWidth, shown);
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
