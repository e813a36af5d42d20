import type { MetricFamily } from '../model/metrics.js';
import type { ProgramGroup } from '../model/report.js';
import type { ReportView } from './buildReport.js';
import { rankGroups } from './rankGroups.js';
import { FIGURE_SPECS, type SummedFigure } from '../model/figures.js';
import { addFigures, zeroFigures } from '../model/memoryFigures.js';
import { budgetMetrics } from '../budget/budgetMetrics.js';

/** The label value of the one series that sums every group beyond --top: `sum()` over a family stays the whole machine. */
export const OTHER_GROUPS = '(other)';

export interface MetricsOptions {
  /** Keep the N largest groups by writable memory; the rest are summed into OTHER_GROUPS. */
  top: number;
  version: string;
}

/** The figures exported, each as a family of its own (one figure per family, so that sum() means something). */
const GROUP_FIGURES = FIGURE_SPECS.flatMap((figure) =>
  figure.metric === undefined ? [] : [[figure.key as SummedFigure, figure.metric.name, figure.metric.help] as const]);

const OUTCOMES = [
  ['denied', 'denied'], ['gone', 'gone'], ['kernel_thread', 'kernelThreads'], ['zombie', 'zombies'],
] as const;

/** A group as its series show it: measured and estimated processes of one name together. */
interface MetricGroup extends ProgramGroup {
  /** How many of its processes were estimated from status (over --rollup-max-rss). */
  estimatedCount: number;
}

function emptyGroup(name: string): MetricGroup {
  return { name, count: 0, pids: [], ...zeroFigures(), estimated: false, estimatedCount: 0 };
}

function addGroup(into: MetricGroup, group: ProgramGroup | MetricGroup): void {
  into.count += group.count;
  for (const pid of group.pids) into.pids.push(pid);
  into.estimatedCount += 'estimatedCount' in group ? group.estimatedCount : group.estimated ? group.count : 0;
  addFigures(into, group);
}

/**
 * One series per name: the report lists a group's estimated processes apart
 * (marked ~), a label set must not repeat, so they are summed back in here and
 * counted in footprint_estimated_processes.
 */
function mergeByName(groups: readonly ProgramGroup[]): MetricGroup[] {
  const byName = new Map<string, MetricGroup>();
  for (const group of groups) {
    let merged = byName.get(group.name);
    if (merged === undefined) byName.set(group.name, (merged = emptyGroup(group.name)));
    addGroup(merged, group);
  }
  return [...byName.values()];
}

/** Processes a read budget took from status (no exact read yet; over --rollup-max-rss ones are not in the plan's basis). */
function statusBasisCount(view: ReportView): number {
  let count = 0;
  for (const sample of view.budget?.byPid.values() ?? []) if (sample.basis === 'status') count++;
  return count;
}

/** The groups to expose: the `top` largest by writable memory, then one that sums the rest (if any). */
function boundedGroups(groups: readonly ProgramGroup[], top: number): MetricGroup[] {
  const ranked = rankGroups(mergeByName(groups), 'writable');
  if (ranked.length <= top) return ranked;
  const other = emptyGroup(OTHER_GROUPS);
  for (const group of ranked.slice(top)) addGroup(other, group);
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
  const merged = boundedGroups(report.groups, options.top);
  // An optional figure (Pss_Dirty before Linux 6.0, or a group measured from status alone) is unknown, not 0: no series.
  const families: MetricFamily[] = GROUP_FIGURES.map(([field, name, help]) => ({
    name, help, type: 'gauge' as const,
    samples: merged.flatMap((group) => (group[field] === undefined ? [] : [{ labels: { [label]: group.name }, value: group[field]! }])),
  }));
  families.push({
    name: 'footprint_processes', help: 'Processes in the group', type: 'gauge',
    samples: merged.map((group) => ({ labels: { [label]: group.name }, value: group.count })),
  });
  families.push({
    name: 'footprint_estimated_processes',
    help: 'Processes of the group measured from /proc/PID/status (RssAnon as writable) instead of smaps_rollup: over --rollup-max-rss, or new and over --max-read-ms with no exact read yet; groups with none have no series',
    type: 'gauge',
    samples: merged.filter((group) => group.estimatedCount > 0).map((group) => ({ labels: { [label]: group.name }, value: group.estimatedCount })),
  });
  // Over --rollup-max-rss, and under a read budget new and over its bound: measured from status.
  const fromStatus = view.overRollupCeiling + statusBasisCount(view);
  families.push({
    name: 'footprint_scan_processes',
    help: 'Processes the last scan saw, by outcome: measured, estimated (from status: over --rollup-max-rss, or new and over --max-read-ms), denied (smaps not readable), gone (exited mid-scan), kernel_thread, zombie, malformed (a file that is not what the kernel writes)',
    type: 'gauge',
    samples: [
      { labels: { outcome: 'measured' }, value: report.scan.measured - fromStatus },
      { labels: { outcome: 'estimated' }, value: fromStatus },
      ...OUTCOMES.map(([outcome, field]) => ({ labels: { outcome }, value: report.scan[field] })),
      { labels: { outcome: 'malformed' }, value: report.scan.malformed ?? 0 },
    ],
  });
  // Under a read budget (serve): each group's freshness, the reads made and skipped, their cost.
  if (view.budget !== undefined) families.push(...budgetMetrics(view.budget, merged, label));
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
