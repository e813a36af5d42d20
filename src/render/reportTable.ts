import type { ReportView } from '../reduce/buildReport.js';
import type { GroupBy, ProgramGroup, ReportTotals } from '../model/report.js';
import { FIGURES, FIGURE_SPECS, type FigureSpec } from '../model/figures.js';
import type { SortKey } from '../model/sortKeys.js';
import { escapeText } from './escapeText.js';
import { displayWidth, drawWithin, fitName, widestLine } from './fitWidth.js';
import { formatColumn, type Unit } from './units.js';
import { renderTextTable } from './textTable.js';
import { GROUP_HEADINGS } from './groupHeadings.js';

export interface ReportTableOptions {
  units: Unit;
  fancy: boolean;
  /** Groups to show, in order (already ranked and cut to --top). */
  groups: ProgramGroup[];
  /** A terminal's width: rows are fitted to it, long group names shortened in the middle. Undefined: whole. */
  width?: number;
  /** What the groups are ranked by (--sort): a figure shown only when asked (oomScore) is a column when it ranks them. */
  sort?: SortKey;
}

/** What a report was asked for, that decides its columns beyond the usual ones. */
export interface AskedColumns {
  sort?: SortKey;
  groupBy?: GroupBy;
}

/** A figure shown only on request (FigureSpec.onRequest): when the groups are ranked by it, or each is one process (--group pid). */
export function isAskedFor(figure: FigureSpec, asked: AskedColumns): boolean {
  return figure.onRequest !== undefined && (asked.sort === (figure.sortAs ?? figure.key) || asked.groupBy === 'pid');
}

/** Unknown, in a table: never shown as 0. */
export const UNKNOWN_MARK = '?';

/** Marks a figure that came from status, not smaps. */
export const ESTIMATE_MARK = '~';

function groupLabel(group: ProgramGroup, nameWidth = Infinity): string {
  const label = `${fitName(group.name, nameWidth)} (${group.count})`;
  return group.estimated ? `${label} ${ESTIMATE_MARK}estimate` : label;
}

/** The table's figure columns: the rows of FIGURES with a label, those shown only when some group has any (swap) as the totals say. */
export function tableFigures(totals: ReportTotals, asked: AskedColumns = {}): (FigureSpec & { label: string })[] {
  return FIGURE_SPECS.flatMap((figure) => {
    if (isAskedFor(figure, asked)) return [{ ...figure, label: figure.onRequest!.label }];
    const shown = figure.label !== undefined && (figure.onlyWhenSome !== true || (totals[figure.key as keyof ReportTotals] ?? 0) > 0);
    return shown ? [figure as FigureSpec & { label: string }] : [];
  });
}

/** A column of figures, some perhaps unknown: the known ones in one unit (scores as plain numbers), the rest "?". */
function formatCells(values: readonly (number | null | undefined)[], figure: { unit?: 'bytes' | 'score' }, units: Unit, none = 'none'): string[] {
  if (figure.unit === 'score') return values.map((value) => (value === undefined || value === null ? UNKNOWN_MARK : String(value)));
  const known = values.filter((value): value is number => typeof value === 'number');
  const formatted = formatColumn(known, units);
  let next = 0;
  return values.map((value) => (value === undefined ? UNKNOWN_MARK : value === null ? none : formatted[next++]));
}

/** --group cgroup: each cgroup's charge and limit, from its own files. */
const CGROUP_COLUMNS = [
  { label: 'Charge', of: (group: ProgramGroup) => group.cgroup?.charge },
  { label: 'Limit', of: (group: ProgramGroup) => group.cgroup?.limit },
] as const;

/**
 * The ranked table with its total line, as ps_mem prints it. Given a width, a
 * table wider than it is drawn again with the group names shortened by the
 * excess (the figures never are), so that no row wraps.
 */
export function renderReportTable(view: ReportView, options: ReportTableOptions): string {
  // A name is never measured past the terminal's width: a command line may be a megabyte.
  const longest = Math.max(0, ...options.groups.map((group) => displayWidth(fitName(group.name, options.width ?? Infinity))));
  const named = drawWithin(options.width, longest, (nameWidth) => renderTable(view, options, nameWidth, false));
  if (options.width === undefined || widestLine(named) <= options.width) return `${named}${unknownNotes(view, options)}`;
  // The total's label is the widest: its note of groups not shown goes under the table.
  return `${drawWithin(options.width, longest, (nameWidth) => renderTable(view, options, nameWidth, true))}${unknownNotes(view, options)}`;
}

/** One line per column with a "?": what is unknown there, and why. */
function unknownNotes(view: ReportView, options: ReportTableOptions): string {
  const { report } = view;
  const lines: string[] = [];
  const oom = tableFigures(report.totals, { sort: options.sort, groupBy: report.groupBy }).some((figure) => figure.key === 'oomScore');
  const noScore = options.groups.filter((group) => group.oomScore === undefined).length;
  if (oom && noScore > 0) {
    lines.push(`OOM score ${UNKNOWN_MARK}: /proc/PID/oom_score not read for ${noScore} group${noScore === 1 ? '' : 's'} (a captured tree made before capture saved it has none).`);
  }
  if (report.groupBy === 'cgroup') {
    const unknown = options.groups.filter((group) => group.cgroup?.charge === undefined || group.cgroup.limit === undefined);
    if (report.cgroupsUnknown !== undefined) lines.push(`Charge, Limit ${UNKNOWN_MARK}: ${escapeText(report.cgroupsUnknown)}.`);
    else if (unknown.length > 0) {
      const why = unknown[0].cgroup?.unknown?.[0] ?? 'not read';
      lines.push(`Charge, Limit ${UNKNOWN_MARK} for ${unknown.length} cgroup${unknown.length === 1 ? '' : 's'}; the first: ${escapeText(why)}.`);
    }
  }
  return lines.map((line) => `${line}\n`).join('');
}

function renderTable(view: ReportView, options: ReportTableOptions, nameWidth: number, hiddenApart: boolean): string {
  const { report } = view;
  const shown = tableFigures(report.totals, { sort: options.sort, groupBy: report.groupBy });
  const cgroupColumns = report.groupBy === 'cgroup' ? CGROUP_COLUMNS : [];
  const header = [...shown.map((figure) => figure.label), ...cgroupColumns.map((column) => column.label), GROUP_HEADINGS[report.groupBy]];
  // A figure not in the totals (oomScore) has a blank there.
  const cellsOf = (g: ReportTotals | ProgramGroup) => shown.map((figure) => (g as Record<string, number | undefined>)[figure.key]);
  // One unit per column, the total's row included (it is the column's largest).
  const figureRows = [...options.groups.map(cellsOf), cellsOf(report.totals)];
  const columns = shown.map((figure, column) => {
    const cells = formatCells(figureRows.map((row) => row[column]), figure, options.units);
    if (!figure.inTotals) cells[cells.length - 1] = '';
    return cells;
  });
  // The kernel's own figures, never estimated: no ~ on them.
  const marked = shown.map((figure) => figure.unit !== 'score');
  const cgroupCells = cgroupColumns.map((column) => [...formatCells(options.groups.map(column.of), {}, options.units), '']);
  const figures = (index: number, estimated: boolean) => [
    ...columns.map((column, at) => (estimated && marked[at] ? ESTIMATE_MARK : '') + column[index]),
    ...cgroupCells.map((column) => column[index]),
  ];
  const rows = [header, ...options.groups.map((group, index) => [...figures(index, group.estimated), groupLabel(group, nameWidth)])];
  const hidden = report.groups.length - options.groups.length;
  const processes = report.groups.reduce((sum, group) => sum + group.count, 0);
  const estimatedCount = report.groups.filter((g) => g.estimated).reduce((sum, g) => sum + g.count, 0);
  let totalLabel = `total (${processes} process${processes === 1 ? '' : 'es'}`;
  if (estimatedCount > 0) totalLabel += `, ${estimatedCount} estimated`;
  const hiddenNote = `${hidden} more group${hidden === 1 ? '' : 's'} not shown`;
  if (hidden > 0 && !hiddenApart) totalLabel += `; ${hiddenNote}`;
  totalLabel += ')';
  rows.push([...figures(options.groups.length, false), totalLabel]);
  const align: ('left' | 'right')[] = [...header.slice(0, -1).map(() => 'right' as const), 'left'];
  const table = renderTextTable(rows, { fancy: options.fancy, align, rulesAfter: [rows.length - 2] });
  return hidden > 0 && hiddenApart ? `${table}(${hiddenNote})\n` : table;
}
