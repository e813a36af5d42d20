import type { ShmemAttribution, ShmemRow } from './shmemAttribution.js';

/** One cgroup's side of shared memory: the objects its member processes hold, beside the kernel's own figure for it. */
export interface CgroupShmem {
  cgroup: string;
  /** memory.stat's shmem (v1: `shmem`, or `total_shmem` for the subtree; v2: `shmem`), where read. */
  charged?: number;
  /** The objects a member maps or holds open, largest first, and their bytes summed. */
  rows: ShmemRow[];
  held: number;
}

/**
 * Shared memory per cgroup: each object under every cgroup one of its holders
 * is in (an object held across cgroups is under each), beside the cgroup's own
 * shmem figure. The two need not agree: the kernel charges a page to the
 * cgroup of the process that first touched it, which may have left or may
 * hold it no more (an orphan is charged to its creator's cgroup, and held by
 * no one). Cgroups with a figure and no holder are listed too; largest charge
 * first, then largest held.
 */
export function shmemByCgroup(attribution: ShmemAttribution, cgroupOf: ReadonlyMap<number, string>, charged: ReadonlyMap<string, number>): CgroupShmem[] {
  const byCgroup = new Map<string, CgroupShmem>();
  const entryOf = (cgroup: string): CgroupShmem => {
    let entry = byCgroup.get(cgroup);
    if (entry === undefined) {
      entry = { cgroup, rows: [], held: 0 };
      const figure = charged.get(cgroup);
      if (figure !== undefined) entry.charged = figure;
      byCgroup.set(cgroup, entry);
    }
    return entry;
  };
  for (const cgroup of charged.keys()) entryOf(cgroup);
  for (const row of attribution.rows) {
    const cgroups = new Set(row.pids.flatMap((pid) => cgroupOf.get(pid) ?? []));
    for (const cgroup of cgroups) {
      const entry = entryOf(cgroup);
      entry.rows.push(row);
      entry.held += row.bytes;
    }
  }
  return [...byCgroup.values()].sort((a, b) => (b.charged ?? -1) - (a.charged ?? -1) || b.held - a.held || (a.cgroup < b.cgroup ? -1 : a.cgroup > b.cgroup ? 1 : 0));
}
