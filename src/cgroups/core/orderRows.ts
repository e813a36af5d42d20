import type { CgroupRow } from './model.js';

export const CGROUP_SORT_CHOICES = ['charge', 'peak', 'headroom', 'writable', 'oom', 'procs', 'path'] as const;
export type CgroupSort = (typeof CGROUP_SORT_CHOICES)[number];

/** The figure a row is ranked by, largest first (headroom: least first); undefined ranks last. */
function rankValue(row: CgroupRow, sort: CgroupSort): number | undefined {
  switch (sort) {
    case 'charge': return row.charge?.charge;
    case 'peak': return row.peak;
    case 'headroom': return row.headroom === undefined ? undefined : -row.headroom;
    case 'writable': return row.held?.writable;
    case 'oom': return row.oom?.oomKills;
    case 'procs': return row.held?.processes;
    case 'path': return undefined;
  }
}

function compareRows(sort: CgroupSort): (a: CgroupRow, b: CgroupRow) => number {
  return (a, b) => {
    const x = rankValue(a, sort);
    const y = rankValue(b, sort);
    if (x !== y) {
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return y - x;
    }
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  };
}

export interface OrderOptions {
  flat: boolean;
  sort: CgroupSort;
  /** The N highest ranked rows (tree: with the cgroups above them, N rows in all). Undefined: every row. */
  top?: number;
}

const parentOf = (path: string): string | undefined => (path === '/' ? undefined : path.slice(0, path.lastIndexOf('/')) || '/');

/**
 * The rows kept for a tree of at most `top` rows: the highest ranked first,
 * each with the cgroups above it that are not yet kept (so the tree stays
 * whole); one whose chain would pass `top` is passed over for the next. A
 * walk up stops at the first kept cgroup, and cgroups are at most 64 levels
 * deep: linear in the rows after the sort.
 */
function keptForTree(ranked: readonly CgroupRow[], byPath: ReadonlyMap<string, CgroupRow>, top: number): Set<string> {
  const kept = new Set<string>();
  for (const row of ranked) {
    if (kept.size >= top) break;
    if (kept.has(row.path)) continue;
    const chain: string[] = [];
    for (let path: string | undefined = row.path; path !== undefined && byPath.has(path) && !kept.has(path); path = parentOf(path)) chain.push(path);
    if (kept.size + chain.length > top) continue;
    for (const path of chain) kept.add(path);
  }
  return kept;
}

/**
 * Flat: every row ranked (the first N with `top`). Tree: each cgroup followed
 * by its children, ranked among themselves, so that the indentation shows the
 * hierarchy (a parent's charge includes its children's: ranking them all
 * together would mix levels); with `top`, the N highest ranked of all the
 * rows and the cgroups above them, still as a tree.
 */
export function orderRows(rows: readonly CgroupRow[], options: OrderOptions): CgroupRow[] {
  const compare = compareRows(options.sort);
  const ranked = [...rows].sort(compare);
  if (options.flat) return options.top === undefined ? ranked : ranked.slice(0, options.top);
  const byPath = new Map(rows.map((row) => [row.path, row]));
  const kept = options.top === undefined ? undefined : keptForTree(ranked, byPath, options.top);
  const children = new Map<string, CgroupRow[]>();
  const roots: CgroupRow[] = [];
  // In rank order, so that each list of children is ranked already.
  for (const row of ranked) {
    if (kept !== undefined && !kept.has(row.path)) continue;
    const parent = parentOf(row.path);
    if (parent === undefined || !byPath.has(parent)) roots.push(row);
    else {
      const list = children.get(parent) ?? [];
      list.push(row);
      children.set(parent, list);
    }
  }
  // Depth first without recursion: a chain of thousands of levels does not overflow the stack.
  const ordered: CgroupRow[] = [];
  const stack: CgroupRow[] = [...roots].reverse();
  while (stack.length > 0) {
    const row = stack.pop()!;
    ordered.push(row);
    const below = children.get(row.path);
    if (below !== undefined) for (let i = below.length - 1; i >= 0; i--) stack.push(below[i]);
  }
  return ordered;
}
