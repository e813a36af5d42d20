import type { ProgramGroup } from '../model/report.js';
import { sortField, type SortKey } from '../model/sortKeys.js';

export type RankKey = SortKey;

/** Largest first (names A to Z), ties broken by name so the order is stable; `reverse` flips it. */
export function rankGroups<G extends ProgramGroup>(groups: readonly G[], key: RankKey, reverse = false): G[] {
  const byName = (a: ProgramGroup, b: ProgramGroup) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.estimated === b.estimated ? 0 : a.estimated ? 1 : -1);
  // A figure a group may lack (oomScore) ranks it below every known one.
  const field = key === 'name' ? undefined : sortField(key);
  const compare = field === undefined
    ? byName
    : (a: G, b: G) => (b[field] ?? -1) - (a[field] ?? -1) || byName(a, b);
  const ranked = [...groups].sort(compare);
  return reverse ? ranked.reverse() : ranked;
}
