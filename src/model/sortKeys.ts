import { figureOfSortWord, SORTABLE_FIGURES, type FigureKey, type SortableFigure } from './figures.js';

/** What a report can be ranked by (--sort): its sortable figures, then the process count and the name. */
export const SORT_KEYS = [...SORTABLE_FIGURES, 'count', 'name'] as readonly (SortableFigure | 'count' | 'name')[];
export type SortKey = SortableFigure | 'count' | 'name';

/** The field of a group a --sort word ranks by: a figure's key (oom ranks by oomScore), or count. */
export function sortField(key: Exclude<SortKey, 'name'>): FigureKey | 'count' {
  return key === 'count' ? 'count' : (figureOfSortWord(key)?.key as FigureKey | undefined) ?? (key as FigureKey);
}
