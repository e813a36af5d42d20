export const SORT_KEYS = ['writable', 'private', 'shared', 'ram', 'pss', 'rss', 'swap', 'count', 'name'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const UNIT_CHOICES = ['auto', 'B', 'KiB', 'MiB', 'GiB'] as const;
export type UnitChoice = (typeof UNIT_CHOICES)[number];
