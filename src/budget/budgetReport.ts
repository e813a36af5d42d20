import type { ProcessSample } from '../model/processSample.js';
import type { ReadOutcome } from './budgetState.js';
import type { ReadReason, SkipReason } from './planReads.js';
import type { PlanTally } from './planTally.js';

/**
 * What a report made under a read budget says of it beside its figures: each
 * process's basis and age (its sample's), the last scan's reads, and the reads
 * made and skipped since the budget began (the metrics' counters).
 */
export interface BudgetReport {
  /** The measured processes by PID (their samples: counters, basis, age), for each group's freshness. */
  byPid: ReadonlyMap<number, ProcessSample>;
  /** This scan's reads made and skipped, their seconds and the longest. */
  scan: PlanTally;
  /** Since the budget began (serve's, watch's start): what the counters say. */
  totals: BudgetTotals;
}

export interface BudgetTotals {
  made: Record<ReadReason, number>;
  skipped: Record<SkipReason, number>;
  /** In exact reads. */
  seconds: number;
  /** Scans made, and their wall time (plan and scan). */
  scans: number;
  scanSeconds: number;
}

export function emptyBudgetTotals(): BudgetTotals {
  return { made: { exact: 0, small: 0, first: 0, refresh: 0, moved: 0 }, skipped: { fresh: 0, spaced: 0, overBudget: 0, newOverBound: 0 }, seconds: 0, scans: 0, scanSeconds: 0 };
}

/** The totals with one more scan's tally added, and its wall time. */
export function addTally(totals: BudgetTotals, tally: PlanTally, scanSeconds: number): BudgetTotals {
  const made = { ...totals.made };
  const skipped = { ...totals.skipped };
  for (const reason of Object.keys(made) as ReadReason[]) made[reason] += tally.made[reason];
  for (const reason of Object.keys(skipped) as SkipReason[]) skipped[reason] += tally.skipped[reason];
  return { made, skipped, seconds: totals.seconds + tally.seconds, scans: totals.scans + 1, scanSeconds: totals.scanSeconds + scanSeconds };
}

/**
 * The exact reads a scan made, as recordReads takes them: every sample read this scan (basis exact), stamped
 * when it was read (else `atMs`), with its time where it was timed (not one read ahead on libuv's threads).
 */
export function readOutcomes(samples: readonly ProcessSample[], atMs: number): ReadOutcome[] {
  const outcomes: ReadOutcome[] = [];
  for (const sample of samples) {
    if (sample.basis !== 'exact') continue;
    const outcome: ReadOutcome = { pid: sample.pid, startTime: sample.startTime, counters: sample.counters, atMs: sample.readAtMs ?? atMs };
    if (sample.readMs !== undefined) outcome.ms = sample.readMs;
    outcomes.push(outcome);
  }
  return outcomes;
}
