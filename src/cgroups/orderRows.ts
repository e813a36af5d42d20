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
  /** Flat: the first N rows. Tree: the first N children of each cgroup. */
  top?: number;
}

/**
 * Flat: every row ranked. Tree: each cgroup followed by its children, ranked
 * among themselves, so that the indentation shows the hierarchy (a parent's
 * charge includes its children's: ranking them all together would mix levels).
 */
export function orderRows(rows: readonly CgroupRow[], options: OrderOptions): CgroupRow[] {
  const compare = compareRows(options.sort);
  if (options.flat) {
    const ranked = [...rows].sort(compare);
    return options.top === undefined ? ranked : ranked.slice(0, options.top);
  }
  const children = new Map<string, CgroupRow[]>();
  const paths = new Set(rows.map((row) => row.path));
  const roots: CgroupRow[] = [];
  for (const row of rows) {
    const parent = row.path === '/' ? undefined : row.path.slice(0, row.path.lastIndexOf('/')) || '/';
    if (parent === undefined || !paths.has(parent)) roots.push(row);
    else {
      const list = children.get(parent) ?? [];
      list.push(row);
      children.set(parent, list);
    }
  }
  const ordered: CgroupRow[] = [];
  const place = (list: CgroupRow[]): void => {
    const ranked = list.sort(compare);
    for (const row of options.top === undefined ? ranked : ranked.slice(0, options.top)) {
      ordered.push(row);
      place(children.get(row.path) ?? []);
    }
  };
  place(roots);
  return ordered;
}
