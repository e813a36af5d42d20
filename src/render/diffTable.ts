import type { GroupBy } from '../model/report.js';
import { isUnchanged, type DiffFigures, type ReportDiff } from '../reduce/diffReports.js';
import { DIFFABLE_FIGURES, figureSpec } from '../model/figures.js';
import { displayWidth, drawWithin, fitName } from './fitWidth.js';
import { formatByteChange, formatBytes, type Unit } from './units.js';
import { renderTextTable } from './textTable.js';
import { GROUP_HEADINGS } from './groupHeadings.js';


export interface DiffTableOptions {
  groupBy: GroupBy;
  units: Unit;
  fancy: boolean;
  /** Also list groups whose figures did not move. */
  all: boolean;
  /** A terminal's width: names shortened in the middle so that no row is wider. Undefined: whole. */
  width?: number;
}

function formatCountChange(change: number): string {
  return change > 0 ? `+${change}` : String(change);
}

/**
 * One row per group that changed, largest writable growth first (new and gone
 * ones marked so), then the totals; the last column, Now, is the group's
 * writable memory in the newer report.
 */
export function renderDiffTable(diff: ReportDiff, options: DiffTableOptions): string {
  const shown = options.all ? diff.changes : diff.changes.filter((change) => !isUnchanged(change));
  // The diffable figures of FIGURES, each a column of changes under its label.
  const figures = DIFFABLE_FIGURES.map((key) => ({ key, label: figureSpec(key).label ?? key }));
  const changes = (values: DiffFigures) => figures.map(({ key }) => formatByteChange(values[key], options.units));
  // A group only one report has is marked after its name: a column of its own cost eight columns of width.
  const markOf = (status: string) => (status === 'both' ? '' : ` (${status})`);
  const longest = Math.max(0, ...shown.map((change) => displayWidth(fitName(change.name, options.width ?? Infinity)) + markOf(change.status).length));
  const table = drawWithin(options.width, longest, (nameWidth) => {
    const rows: string[][] = [[GROUP_HEADINGS[options.groupBy], ...figures.map(({ label }) => label), 'Procs', 'Now']];
    for (const change of shown) {
      // The mark is within the name's width: the name gives way to it.
      const mark = markOf(change.status);
      rows.push([
        `${fitName(change.name, Math.max(1, nameWidth - mark.length))}${mark}`,
        ...changes(change.change),
        formatCountChange(change.change.count),
        change.new ? formatBytes(change.new.writable, options.units) : '-',
      ]);
    }
    const { change, new: now } = diff.totals;
    rows.push(['Total', ...changes(change), formatCountChange(change.count), formatBytes(now.writable, options.units)]);
    return renderTextTable(rows, {
      fancy: options.fancy,
      align: ['left', ...figures.map(() => 'right' as const), 'right', 'right'],
      rulesAfter: [0, rows.length - 2],
    });
  });
  const unchanged = diff.changes.length - shown.length;
  return unchanged > 0 ? `${table}${unchanged} unchanged ${unchanged === 1 ? 'group' : 'groups'} not shown (--all lists them)\n` : table;
}
