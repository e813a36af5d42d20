export { SORT_KEYS, type SortKey } from '../model/sortKeys.js';

export const UNIT_CHOICES = ['auto', 'B', 'KiB', 'MiB', 'GiB'] as const;
export type UnitChoice = (typeof UNIT_CHOICES)[number];
