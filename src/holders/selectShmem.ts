import type { TextPattern } from '../reduce/matchGroups.js';
import type { ShmemAttribution, ShmemRow } from './shmemAttribution.js';

export interface ShmemSelection {
  /** --match: a row whose name, or one of whose holders' program, the pattern finds. */
  pattern?: TextPattern;
  /** -n: the largest rows first, this many. */
  limit?: number;
}

export interface ShmemView extends ShmemAttribution {
  /** The matching rows past the limit: how many, and their bytes. The totals stay the machine's whatever is shown. */
  rest: { rows: number; bytes: number };
}

/** The rows a view shows, largest first as attributeShmem ranked them; the totals are always the whole machine's. */
export function selectShmemRows(attribution: ShmemAttribution, selection: ShmemSelection = {}): ShmemView {
  const { pattern, limit } = selection;
  const found = pattern === undefined
    ? attribution.rows
    : attribution.rows.filter((row) => pattern.test(row.name) || row.holders.some((holder) => pattern.test(holder.program)));
  const rows: ShmemRow[] = limit === undefined ? found : found.slice(0, Math.max(0, limit));
  const left = found.slice(rows.length);
  return { rows, totals: attribution.totals, rest: { rows: left.length, bytes: left.reduce((sum, row) => sum + row.bytes, 0) } };
}
