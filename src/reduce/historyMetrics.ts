import { HISTORY_FIGURES, type HistoryFigure } from '../model/figures.js';
/** The figures `history` can follow; the index keeps exactly these. */
export const HISTORY_METRICS = HISTORY_FIGURES;
export type HistoryMetric = HistoryFigure;
