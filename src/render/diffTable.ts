import type { GroupBy } from '../model/report.js';
import { isUnchanged, type ReportDiff } from '../reduce/diffReports.js';
import { escapeText } from './escapeText.js';
import { formatByteChange, formatBytes, type Unit } from './units.js';
import { renderTextTable } from './textTable.js';
import { GROUP_HEADINGS } from './groupHeadings.js';


export interface DiffTableOptions {
  groupBy: GroupBy;
  units: Unit;
  fancy: boolean;
  /** Also list groups whose figures did not move. */
  all: boolean;
}

function formatCountChange(change: number): string {
  return change > 0 ? `+${change}` : String(change);
}

/** One row per group that changed, largest writable growth first, then the totals. */
export function renderDiffTable(diff: ReportDiff, options: DiffTableOptions): string {
  const shown = options.all ? diff.changes : diff.changes.filter((change) => !isUnchanged(change));
  const rows: string[][] = [[GROUP_HEADINGS[options.groupBy], 'Status', 'Writable', 'Private', 'Shared', 'RAM used', 'Procs', 'Writable now']];
  for (const change of shown) {
    rows.push([
      escapeText(change.name),
      change.status === 'both' ? '' : change.status,
      formatByteChange(change.change.writable, options.units),
      formatByteChange(change.change.private, options.units),
      formatByteChange(change.change.shared, options.units),
      formatByteChange(change.change.ram, options.units),
      formatCountChange(change.change.count),
      change.new ? formatBytes(change.new.writable, options.units) : '-',
    ]);
  }
  const { change, new: now } = diff.totals;
  rows.push([
    'Total', '',
    formatByteChange(change.writable, options.units),
    formatByteChange(change.private, options.units),
    formatByteChange(change.shared, options.units),
    formatByteChange(change.ram, options.units),
    formatCountChange(change.count),
    formatBytes(now.writable, options.units),
  ]);
  const table = renderTextTable(rows, {
    fancy: options.fancy,
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    rulesAfter: [0, rows.length - 2],
  });
  const unchanged = diff.changes.length - shown.length;
  return unchanged > 0 ? `${table}${unchanged} unchanged ${unchanged === 1 ? 'group' : 'groups'} not shown (--all lists them)\n` : table;
}
