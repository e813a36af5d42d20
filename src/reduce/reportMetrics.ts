import type { MetricFamily } from '../model/metrics.js';
import type { ProgramGroup } from '../model/report.js';
import type { ReportView } from './buildReport.js';
import { rankGroups } from './rankGroups.js';

/** The label value of the one series that sums every group beyond --top: `sum()` over a family stays the whole machine. */
export const OTHER_GROUPS = '(other)';

export interface MetricsOptions {
  /** Keep the N largest groups by writable memory; the rest are summed into OTHER_GROUPS. */
  top: number;
  version: string;
}

const GROUP_FIGURES = [
  ['writable', 'footprint_writable_bytes', 'Writable memory: Private_Dirty of smaps_rollup, summed over the group'],
  ['private', 'footprint_private_bytes', 'Private memory: Private_Clean + Private_Dirty + Private_Hugetlb, summed over the group'],
  ['shared', 'footprint_shared_bytes', 'Proportional share of shared pages: Pss - (Private_Clean + Private_Dirty), summed over the group'],
  ['ram', 'footprint_ram_bytes', 'RAM used: private + shared, summed over the group'],
  ['pss', 'footprint_pss_bytes', 'Pss: the Pss line of smaps_rollup, summed over the group'],
  ['rss', 'footprint_rss_bytes', 'Resident set size: the Rss line of smaps_rollup, summed over the group'],
  ['swap', 'footprint_swap_bytes', 'Swapped out: SwapPss (else Swap) of smaps_rollup, summed over the group'],
] as const;

const OUTCOMES = [
  ['measured', 'measured'], ['denied', 'denied'], ['gone', 'gone'], ['kernel_thread', 'kernelThreads'], ['zombie', 'zombies'],
] as const;

/** The groups to expose: the `top` largest by writable memory, then one that sums the rest (if any). */
function boundedGroups(groups: readonly ProgramGroup[], top: number): ProgramGroup[] {
  const ranked = rankGroups([...groups], 'writable');
  if (ranked.length <= top) return ranked;
  const rest = ranked.slice(top);
  const other: ProgramGroup = {
    name: OTHER_GROUPS, count: 0, pids: [], writable: 0, privateClean: 0, private: 0, shared: 0, ram: 0, pss: 0, rss: 0, swap: 0, estimated: false,
  };
  for (const group of rest) {
    other.count += group.count;
    for (const [field] of GROUP_FIGURES) other[field] += group[field];
  }
  return [...ranked.slice(0, top), other];
}

/**
 * The report as Prometheus metric families: one figure per family (so that
 * `sum()` over a family means something), bytes as integers, one label named
 * for the grouping, the series bounded by `top`; the scan's coverage, its
 * duration, the System parts, and the build.
 */
export function reportMetrics(view: ReportView, options: MetricsOptions): MetricFamily[] {
  const { report } = view;
  const label = report.groupBy;
  // One series per group: serve and export never estimate, so no two groups share a name.
  const merged = boundedGroups(report.groups, options.top);
  const families: MetricFamily[] = GROUP_FIGURES.map(([field, name, help]) => ({
    name, help, type: 'gauge' as const, samples: merged.map((group) => ({ labels: { [label]: group.name }, value: group[field] })),
  }));
  families.push({
    name: 'footprint_processes', help: 'Processes in the group', type: 'gauge',
    samples: merged.map((group) => ({ labels: { [label]: group.name }, value: group.count })),
  });
  families.push({
    name: 'footprint_scan_processes',
    help: 'Processes the last scan saw, by outcome: measured, denied (smaps not readable), gone (exited mid-scan), kernel_thread, zombie',
    type: 'gauge',
    samples: OUTCOMES.map(([outcome, field]) => ({ labels: { outcome }, value: report.scan[field] })),
  });
  families.push({
    name: 'footprint_scan_duration_seconds', help: 'How long the last scan of /proc took', type: 'gauge',
    samples: [{ labels: {}, value: report.scan.ms / 1000 }],
  });
  const system = report.system;
  families.push({
    name: 'footprint_system_memory_bytes',
    help: 'System memory from /proc/meminfo and /proc/zoneinfo: total (MemTotal), available (MemAvailable), and the parts of used memory (MemTotal - MemAvailable)',
    type: 'gauge',
    samples: [
      { labels: { part: 'total' }, value: system.memTotal },
      { labels: { part: 'available' }, value: system.memAvailable },
      ...(system.parts ?? []).map((part) => ({ labels: { part: part.key }, value: part.bytes })),
    ],
  });
  families.push({
    name: 'footprint_build_info', help: 'The footprint that made these figures', type: 'gauge',
    samples: [{ labels: { version: options.version }, value: 1 }],
  });
  return families;
}
