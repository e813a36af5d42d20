import type { ReportView } from '../reduce/buildReport.js';
import type { ProgramGroup, ReportTotals } from '../model/report.js';
import { FIGURES, type FigureSpec } from '../model/figures.js';
import { escapeText } from './escapeText.js';
import { drawWithin, shortenMiddle, widestLine } from './fitWidth.js';
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
}

/** Marks a figure that came from status, not smaps. */
export const ESTIMATE_MARK = '~';

function groupLabel(group: ProgramGroup, nameWidth = Infinity): string {
  const label = `${shortenMiddle(escapeText(group.name), nameWidth)} (${group.count})`;
  return group.estimated ? `${label} ${ESTIMATE_MARK}estimate` : label;
}

/** The table's figure columns: the rows of FIGURES with a label, those shown only when some group has any (swap) as the totals say. */
export function tableFigures(totals: ReportTotals): (FigureSpec & { label: string })[] {
  return (FIGURES as readonly FigureSpec[]).filter((figure): figure is FigureSpec & { label: string } =>
    figure.label !== undefined && (figure.onlyWhenSome !== true || (totals[figure.key as keyof ReportTotals] ?? 0) > 0));
}

/**
 * The ranked table with its total line, as ps_mem prints it. Given a width, a
 * table wider than it is drawn again with the group names shortened by the
 * excess (the figures never are), so that no row wraps.
 */
export function renderReportTable(view: ReportView, options: ReportTableOptions): string {
  const longest = Math.max(0, ...options.groups.map((group) => [...escapeText(group.name)].length));
  const named = drawWithin(options.width, longest, (nameWidth) => renderTable(view, options, nameWidth, false));
  if (options.width === undefined || widestLine(named) <= options.width) return named;
  // The total's label is the widest: its note of groups not shown goes under the table.
  return drawWithin(options.width, longest, (nameWidth) => renderTable(view, options, nameWidth, true));
}

function renderTable(view: ReportView, options: ReportTableOptions, nameWidth: number, hiddenApart: boolean): string {
  const { report } = view;
  const shown = tableFigures(report.totals);
  const header = [...shown.map((figure) => figure.label), GROUP_HEADINGS[report.groupBy]];
  const cellsOf = (g: ReportTotals) => shown.map((figure) => g[figure.key as keyof ReportTotals]);
  // One unit per column, the total's row included (it is the column's largest).
  const figureRows = [...options.groups.map(cellsOf), cellsOf(report.totals)];
  const columns = figureRows[0].map((_, column) => formatColumn(figureRows.map((row) => row[column]), options.units));
  const figures = (index: number, estimated: boolean) => columns.map((column) => (estimated ? ESTIMATE_MARK : '') + column[index]);
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
