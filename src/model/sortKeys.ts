import { SORTABLE_FIGURES, type SortableFigure } from './figures.js';

/** What a report can be ranked by (--sort): its sortable figures, then the process count and the name. */
export const SORT_KEYS = [...SORTABLE_FIGURES, 'count', 'name'] as readonly (SortableFigure | 'count' | 'name')[];
export type SortKey = SortableFigure | 'count' | 'name';
