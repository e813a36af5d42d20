import type { Unit } from '../model/units.js';
import { displayWidth, drawWithin, fitName, wrapLines } from '../render/fitWidth.js';
import { renderTextTable } from '../render/textTable.js';
import { formatColumn } from '../render/units.js';
import { describeCoverage, type ProcessCoverage } from './coverage.js';
import type { FileFigures, FileGrouping, FileRow } from './fileUsage.js';
import type { FilesView } from './selectFiles.js';

export interface FilesTextOptions {
  /** A terminal's columns: names shortened in their middle to fit; undefined (a pipe): whole. */
  width?: number;
  fancy: boolean;
  units: Unit;
}

const FIGURES: { key: keyof FileFigures; label: string }[] = [
  { key: 'writable', label: 'Writable' },
  { key: 'private', label: 'Private' },
  { key: 'shared', label: 'Shared' },
  { key: 'pss', label: 'PSS' },
  { key: 'rss', label: 'RSS' },
];

const DELETED_MARK = ' (deleted)';

/** The name a row is shown by: the path (escaped where drawn), " (deleted)" kept whole at its end. */
function shownName(row: FileRow, width: number): string {
  if (!row.deleted) return fitName(row.path, width);
  return `${fitName(row.path, Math.max(1, width - DELETED_MARK.length))}${DELETED_MARK}`;
}

/**
 * `footprint files`: one line per file (or kind of anonymous memory), its
 * figures in ps_mem's units, the number of processes mapping it, the program
 * and the permissions where grouped by them, and the path last, shortened in
 * its middle to fit a terminal. A line of the rows -n left out, a total line,
 * and what was read.
 */
export function renderFilesText(view: FilesView, grouping: FileGrouping, coverage: ProcessCoverage, options: FilesTextOptions): string {
  const { rows } = view;
  const extra: { label: string; cell: (row: FileRow) => string }[] = [];
  if (grouping.byPermission) extra.push({ label: 'Perms', cell: (row) => row.permissions ?? '' });
  const unitLabel = options.units === 'auto' ? '' : ` (${options.units})`;
  const lines = [...rows, view.rest, view.total];
  const columns = FIGURES.map((figure) => formatColumn(lines.map((line) => line[figure.key]), options.units, options.units !== 'auto'));
  const longest = Math.max(0, ...rows.map((row) => displayWidth(fitName(row.path, options.width ?? Infinity)) + (row.deleted ? DELETED_MARK.length : 0)));
  const longestProgram = Math.max(7, ...rows.map((row) => displayWidth(fitName(row.program ?? '', options.width ?? Infinity))));
  const table = drawWithin(options.width, longest, (nameWidth) => {
    // A program's name gets at most a third of the names' room.
    const programWidth = Math.min(longestProgram, Math.max(7, Math.floor(nameWidth / 3)));
    const header = [...FIGURES.map((figure) => figure.label + unitLabel), 'Procs', ...extra.map((column) => column.label), ...(grouping.byProgram ? ['Program'] : []), 'File'];
    const body = rows.map((row, index) => [
      ...columns.map((column) => column[index]), String(row.processes), ...extra.map((column) => column.cell(row)),
      ...(grouping.byProgram ? [fitName(row.program ?? '', programWidth)] : []), shownName(row, nameWidth),
    ]);
    const blanks = extra.length + (grouping.byProgram ? 1 : 0);
    const summary: string[][] = [];
    if (view.rest.rows > 0) summary.push([...columns.map((column) => column[rows.length]), '', ...Array<string>(blanks).fill(''), `${view.rest.rows} more row${view.rest.rows === 1 ? '' : 's'}`]);
    summary.push([...columns.map((column) => column[rows.length + 1]), String(view.processes), ...Array<string>(blanks).fill(''), 'total']);
    return renderTextTable([header, ...body, ...summary], {
      fancy: options.fancy,
      align: [...FIGURES.map(() => 'right' as const), 'right', ...extra.map(() => 'left' as const), ...(grouping.byProgram ? ['left' as const] : []), 'left'],
      rulesAfter: [rows.length],
    });
  });
  return `${table}${wrapLines(describeCoverage(coverage), options.width)}\n`;
}
