import type { TextPattern } from '../reduce/matchGroups.js';
import { rankFileRows, type FileFigures, type FileRow, type FileSortKey, type FileUsage } from './fileUsage.js';

/** Which rows a view shows: those a pattern finds (--match), ranked by a figure, the first `limit` (-n). */
export interface FileSelection {
  pattern?: TextPattern;
  sortBy?: FileSortKey;
  limit?: number;
}

export interface FilesView {
  rows: FileRow[];
  /** The matching rows past the limit, summed: what `-n` left out is still counted. */
  rest: { rows: number } & FileFigures;
  /** Every matching row summed (the rows shown and the rest). */
  total: { rows: number } & FileFigures;
  /** Processes whose mappings were summed. */
  processes: number;
}

function zero(): { rows: number } & FileFigures {
  return { rows: 0, writable: 0, private: 0, shared: 0, pss: 0, rss: 0, swap: 0 };
}

function addRow(into: { rows: number } & FileFigures, row: FileRow): void {
  into.rows++;
  into.writable += row.writable;
  into.private += row.private;
  into.shared += row.shared;
  into.pss += row.pss;
  into.rss += row.rss;
  into.swap += row.swap;
}

/**
 * The rows a view shows. --match finds a row by its path, or under --by program
 * by its program too; the total is of the rows found, so that a total line
 * never counts a row the view does not name (nor hides one -n cut: see rest).
 */
export function selectFileRows(usage: FileUsage, selection: FileSelection = {}): FilesView {
  const { pattern, sortBy = 'writable', limit } = selection;
  const found = pattern === undefined ? usage.rows : usage.rows.filter((row) => pattern.test(row.path) || (row.program !== undefined && pattern.test(row.program)));
  // usage.rows come ranked by writable; filtering keeps their order.
  const ranked = sortBy === 'writable' ? found : rankFileRows(found, sortBy);
  const shown = limit === undefined ? ranked : ranked.slice(0, Math.max(0, limit));
  const rest = zero();
  for (let i = shown.length; i < ranked.length; i++) addRow(rest, ranked[i]);
  const total = zero();
  for (const row of ranked) addRow(total, row);
  return { rows: shown, rest, total, processes: usage.processes };
}
