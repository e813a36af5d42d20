import type { ReportView } from '../reduce/buildReport.js';
import type { ProgramGroup } from '../model/report.js';
import { escapeText } from './escapeText.js';
import { formatBytes, type Unit } from './units.js';
import { renderTextTable } from './textTable.js';
import { GROUP_HEADINGS } from './groupHeadings.js';

export interface ReportTableOptions {
  units: Unit;
  fancy: boolean;
  /** Groups to show, in order (already ranked and cut to --top). */
  groups: ProgramGroup[];
}

/** Marks a figure that came from status, not smaps. */
export const ESTIMATE_MARK = '~';

function groupLabel(group: ProgramGroup): string {
  const label = `${escapeText(group.name)} (${group.count})`;
  return group.estimated ? `${label} ${ESTIMATE_MARK}estimate` : label;
}

/** The ranked table with its total line, as ps_mem prints it. */
export function renderReportTable(view: ReportView, options: ReportTableOptions): string {
  const { report } = view;
  const showSwap = report.totals.swap > 0;
  const header = ['Writable', 'Private', 'Shared', 'RAM used', ...(showSwap ? ['Swap'] : []), GROUP_HEADINGS[report.groupBy]];
  const figures = (g: { writable: number; private: number; shared: number; ram: number; swap: number }, estimated: boolean) => {
    const mark = estimated ? ESTIMATE_MARK : '';
    const cells = [g.writable, g.private, g.shared, g.ram, ...(showSwap ? [g.swap] : [])];
    return cells.map((bytes) => mark + formatBytes(bytes, options.units));
  };
  const rows = [header, ...options.groups.map((group) => [...figures(group, group.estimated), groupLabel(group)])];
  const hidden = report.groups.length - options.groups.length;
  const processes = report.groups.reduce((sum, group) => sum + group.count, 0);
  const estimatedCount = report.groups.filter((g) => g.estimated).reduce((sum, g) => sum + g.count, 0);
  let totalLabel = `total (${processes} process${processes === 1 ? '' : 'es'}`;
  if (estimatedCount > 0) totalLabel += `, ${estimatedCount} estimated`;
  if (hidden > 0) totalLabel += `; ${hidden} more group${hidden === 1 ? '' : 's'} not shown`;
  totalLabel += ')';
  rows.push([...figures(report.totals, false), totalLabel]);
  const align: ('left' | 'right')[] = [...header.slice(0, -1).map(() => 'right' as const), 'left'];
  return renderTextTable(rows, { fancy: options.fancy, align, rulesAfter: [rows.length - 2] });
}
