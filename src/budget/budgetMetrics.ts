import type { MetricFamily } from '../model/metrics.js';
import type { BudgetReport } from './budgetReport.js';
import { groupFreshness, type FreshnessMember } from './groupFreshness.js';
import type { ReadReason, SkipReason } from './planReads.js';

/** A group as its series are labelled, with the PIDs summed into it. */
export interface LabelledGroup {
  name: string;
  pids: readonly number[];
}

/** Reasons as metric label values (Prometheus's snake case). */
const READ_REASONS: readonly ReadReason[] = ['exact', 'small', 'first', 'refresh', 'moved'];
const SKIP_REASONS: readonly [SkipReason, string][] = [['fresh', 'fresh'], ['spaced', 'spaced'], ['overBudget', 'over_budget'], ['newOverBound', 'new_over_bound']];

/**
 * The read budget's families (docs/budget.md, docs/serve.md): per group, the age
 * of its oldest exact read and its carried share; the reads made and skipped by
 * reason and their seconds since serve began; the last scan's longest read; the
 * scans' wall time and count. A group with no exact read at all (all from
 * status) has an age series too: the time since its processes were first seen,
 * unread (its carried ratio of 1 and footprint_estimated_processes say it is from status).
 */
export function budgetMetrics(budget: BudgetReport, groups: readonly LabelledGroup[], label: string): MetricFamily[] {
  const ages: MetricFamily['samples'] = [];
  const carried: MetricFamily['samples'] = [];
  for (const group of groups) {
    const members: FreshnessMember[] = [];
    for (const pid of group.pids) {
      const sample = budget.byPid.get(pid);
      if (sample !== undefined) members.push(sample);
    }
    const freshness = groupFreshness(members);
    // Since its figures were last confirmed exactly: the oldest exact read, or, for a process not read yet, since it was first seen.
    const ageMs = Math.max(freshness.oldestExactAgeMs ?? -1, freshness.unreadForMs ?? -1);
    if (ageMs >= 0) ages.push({ labels: { [label]: group.name }, value: ageMs / 1000 });
    carried.push({ labels: { [label]: group.name }, value: freshness.carriedShare });
  }
  const { totals, scan } = budget;
  return [
    { name: 'footprint_exact_read_age_seconds', help: "Seconds since the group's figures were last confirmed by an exact read (smaps_rollup): the age of the oldest exact read under them, carried forward from /proc/PID/status since; for a process not read yet (from status), the time since it was first seen", type: 'gauge', samples: ages },
    { name: 'footprint_carried_ratio', help: "Share (0-1) of the group's RAM used not read exactly this scan: carried forward from its last exact read, or from status", type: 'gauge', samples: carried },
    {
      name: 'footprint_exact_reads_total', help: 'Exact reads (smaps_rollup) made, by why: exact (--exact), small (within --max-read-ms), first (over --max-read-ms, its first, once the scans since it was first seen space it by the bound), refresh (a --refresh period old), moved (its status counters moved)', type: 'counter',
      samples: READ_REASONS.map((reason) => ({ labels: { reason }, value: totals.made[reason] })),
    },
    {
      name: 'footprint_exact_reads_skipped_total', help: 'Exact reads not made, by why: fresh, spaced (moved, but read too lately for --max-read-ms), over_budget (due, the scan\'s budget spent), new_over_bound (new and over --max-read-ms: from status until its first read is spaced by the bound)', type: 'counter',
      samples: SKIP_REASONS.map(([reason, value]) => ({ labels: { reason: value }, value: totals.skipped[reason] })),
    },
    { name: 'footprint_exact_read_seconds_total', help: 'Seconds spent in the exact reads timed: of processes of 64 MiB resident and more, read in line (each one stalls its process\'s memory map while it lasts); smaller ones are read on libuv\'s threads beside the scan, counted but not timed', type: 'counter', samples: [{ labels: {}, value: totals.seconds }] },
    { name: 'footprint_exact_read_longest_seconds', help: 'The longest single exact read of the last scan', type: 'gauge', samples: [{ labels: {}, value: scan.longestSeconds }] },
    { name: 'footprint_scan_seconds_total', help: 'Wall time of the scans made, from the read budget\'s stat pass to the report built from the scan (with footprint_scans_total: the mean per scan)', type: 'counter', samples: [{ labels: {}, value: totals.scanSeconds }] },
    { name: 'footprint_scans_total', help: 'Scans made', type: 'counter', samples: [{ labels: {}, value: totals.scans }] },
  ];
}
