import type { CgroupLimits, CgroupRow } from './model.js';
import type { KillCounting } from '../../kernel/cgroupfs/cgroupMounts.js';
import type { MetricFamily, MetricSample } from '../../model/metrics.js';

export interface CgroupMetricsInput {
  version: 1 | 2;
  /** How the kill counters count (MemoryHierarchyMount.kills). */
  kills: KillCounting;
  /** The rows of the cgroups within --cgroup-depth (buildCgroupRows, no processes' side needed). */
  rows: readonly CgroupRow[];
  /** Each cgroup's OOM kills over its whole subtree, by path (oomKillsBySubtree); at least the rows' paths. */
  oomKills: ReadonlyMap<string, number>;
  /** /proc/vmstat oom_kill; undefined where unreadable. */
  machineOomKills?: number;
}

/** The limit kinds a series names: v2's own file names; v1 names its soft limit as what it is. */
const LIMIT_KINDS: Record<1 | 2, [keyof CgroupLimits, string][]> = {
  2: [['max', 'max'], ['high', 'high'], ['low', 'low'], ['min', 'min']],
  1: [['max', 'max'], ['high', 'soft']],
};

/**
 * Kills over each cgroup's subtree, from each cgroup's own counter. v2's
 * memory.events oom_kill already counts the subtree (the kernel raises every
 * ancestor), so it is taken as it is; v1's memory.oom_control (and v2's
 * memory.events on a memory_localevents mount) counts the cgroup alone, so it is summed over the cgroup and those below it (serve
 * first keeps removed cgroups' kills in their ancestors: RemovedCgroupKills).
 */
export function oomKillsBySubtree(own: ReadonlyMap<string, { oomKills?: number }>, kills: KillCounting): Map<string, number> {
  const totals = new Map<string, number>();
  for (const [path, count] of own) if (count.oomKills !== undefined) totals.set(path, count.oomKills);
  if (kills === 'subtree') return totals;
  const summed = new Map<string, number>();
  for (const [path, kills] of totals) {
    // Every ancestor (and the cgroup itself) gets the kills: paths are "/a/b", the top "/".
    for (let at = path; ; at = at.lastIndexOf('/') === 0 ? '/' : at.slice(0, at.lastIndexOf('/'))) {
      summed.set(at, (summed.get(at) ?? 0) + kills);
      if (at === '/') break;
    }
  }
  return summed;
}

/**
 * The cgroups as Prometheus families: OOM kills (a counter per cgroup, and the
 * machine's apart), the charge part by part, the limits, the peak. One figure
 * per family. The machine-wide kill count is a family of its own, not a
 * cgroup="" series: it is not one more cgroup beside the others but all kills,
 * in cgroups or not (so a sum over the cgroup series plus it would count
 * twice), and an empty label value is the same as no label to PromQL.
 */
export function cgroupMetrics(input: CgroupMetricsInput): MetricFamily[] {
  const { rows, version } = input;
  const series = (rowSamples: (row: CgroupRow) => MetricSample[]) => rows.flatMap(rowSamples);
  const families: MetricFamily[] = [
    {
      name: 'footprint_oom_kills_total',
      help: input.kills === 'subtree'
        ? 'Processes the OOM killer killed in the cgroup and those below it (memory.events oom_kill, counted by the kernel for every ancestor: do not sum over cgroups)'
        : `Processes the OOM killer killed in the cgroup and those below it (${version === 2 ? 'memory.events oom_kill, memory_localevents' : 'memory.oom_control oom_kill'} of each, summed over the subtree by footprint: do not sum over cgroups)`,
      type: 'counter',
      samples: series((row) => {
        const kills = input.oomKills.get(row.path);
        return kills === undefined ? [] : [{ labels: { cgroup: row.path }, value: kills }];
      }),
    },
    {
      name: 'footprint_oom_kills_machine_total',
      help: 'Processes the OOM killer killed on the whole machine since boot, in a cgroup or not (/proc/vmstat oom_kill)',
      type: 'counter',
      samples: input.machineOomKills === undefined ? [] : [{ labels: {}, value: input.machineOomKills }],
    },
    {
      name: 'footprint_cgroup_memory_bytes',
      help: version === 2
        ? "A cgroup's charge (memory.current), part by part from memory.stat: the parts add up to the charge (uncounted: charged beyond every counter, computed from them)"
        : "A cgroup's charge (total_rss + total_cache of memory.stat, plus memory.kmem.usage_in_bytes), part by part: the parts add up to it",
      type: 'gauge',
      samples: series((row) => (row.charge?.parts ?? []).map((part) => ({ labels: { cgroup: row.path, part: part.key }, value: part.bytes }))),
    },
    {
      name: 'footprint_cgroup_limit_bytes',
      help: version === 2
        ? "A cgroup's limits: max (memory.max, the OOM killer above), high (memory.high, throttled above), low and min (protected below); no series where there is none"
        : "A cgroup's limits: max (memory.limit_in_bytes, the OOM killer above), soft (memory.soft_limit_in_bytes, reclaimed first above); no series where there is none",
      type: 'gauge',
      samples: series((row) => LIMIT_KINDS[version].flatMap(([key, kind]) => {
        const limit = row.limits[key];
        return typeof limit === 'number' ? [{ labels: { cgroup: row.path, kind }, value: limit }] : [];
      })),
    },
    {
      name: 'footprint_cgroup_peak_bytes',
      help: version === 2
        ? "The kernel's high-water mark of a cgroup's charge (memory.peak, Linux 5.19+): page cache and kernel memory included, not writable memory"
        : "The kernel's high-water mark of a cgroup's usage counter (memory.max_usage_in_bytes): page cache and kernel memory included, not writable memory",
      type: 'gauge',
      samples: series((row) => (row.peak === undefined ? [] : [{ labels: { cgroup: row.path }, value: row.peak }])),
    },
  ];
  return families;
}
