/** The figures `history` can follow; the index keeps exactly these. */
export const HISTORY_METRICS = ['writable', 'private', 'ram', 'pss', 'swap'] as const;
export type HistoryMetric = (typeof HISTORY_METRICS)[number];
