/**
 * v1's kill counts, kept for the life of a `serve`: memory.oom_control counts
 * a cgroup's own kills alone, so footprint sums them over each subtree, and a
 * child removed (a container that ended, a service restarted into a new scope)
 * would take its kills out of every ancestor's sum. Prometheus would read that
 * drop as a counter reset and count the ancestor's whole total again. Here a
 * removed cgroup's last count (with what it kept of its own removed children)
 * passes to its nearest ancestor still there, so every subtree's count only
 * rises while serve runs. Memory: one number per cgroup there now, and one per
 * ancestor that kept some; nothing for cgroups gone. v2 needs none of it: the
 * kernel counts every kill in every ancestor, and a parent keeps its count when
 * a child goes.
 */
export class RemovedCgroupKills {
  /** Each cgroup's own count at the last reading, with what it keeps. */
  private last = new Map<string, number>();
  /** Each cgroup's own count as the kernel gave it at the last reading: lower now, and the path is a new cgroup of the same name. */
  private lastRaw = new Map<string, number>();
  /** What removed descendants left, by the ancestor that keeps it. */
  private readonly kept = new Map<string, number>();

  /** Each cgroup's own count with what it keeps of removed descendants: the counts to sum over subtrees. */
  apply(own: ReadonlyMap<string, { oomKills?: number }>): Map<string, { oomKills?: number }> {
    for (const [path, count] of this.last) {
      const now = own.get(path);
      const recreated = now?.oomKills !== undefined && now.oomKills < (this.lastRaw.get(path) ?? 0);
      if (now !== undefined && !recreated) continue;
      this.kept.delete(path);
      const heir = nearestPresentAncestor(path, own);
      if (heir !== undefined && count > 0) this.kept.set(heir, (this.kept.get(heir) ?? 0) + count);
    }
    const adjusted = new Map<string, { oomKills?: number }>();
    const last = new Map<string, number>();
    const lastRaw = new Map<string, number>();
    for (const [path, count] of own) {
      const keeps = this.kept.get(path) ?? 0;
      const kills = count.oomKills === undefined && keeps === 0 ? undefined : (count.oomKills ?? 0) + keeps;
      adjusted.set(path, kills === undefined ? {} : { oomKills: kills });
      last.set(path, kills ?? 0);
      lastRaw.set(path, count.oomKills ?? 0);
    }
    this.last = last;
    this.lastRaw = lastRaw;
    return adjusted;
  }
}

function nearestPresentAncestor(path: string, present: ReadonlyMap<string, unknown>): string | undefined {
  for (let at = path; at !== '/';) {
    at = at.lastIndexOf('/') === 0 ? '/' : at.slice(0, at.lastIndexOf('/'));
    if (present.has(at)) return at;
  }
  return undefined;
}
