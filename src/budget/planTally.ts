import type { ReadOutcome } from './budgetState.js';
import type { ReadPlan, ReadReason, SkipReason } from './planReads.js';

/**
 * A scan's reads counted for its metrics: exact reads made and skipped, by
 * reason, the seconds they took and the longest one (what the counters
 * footprint_exact_reads_total, footprint_exact_reads_skipped_total and
 * footprint_exact_read_seconds_total add up; docs/budget.md).
 */
export interface PlanTally {
  made: Record<ReadReason, number>;
  skipped: Record<SkipReason, number>;
  /** Of the reads made, the time they took (failed ones too: they took it) and the longest. */
  seconds: number;
  longestSeconds: number;
}

export function tallyPlan(plan: ReadPlan, outcomes: readonly ReadOutcome[]): PlanTally {
  const tally: PlanTally = {
    made: { exact: 0, small: 0, first: 0, refresh: 0, moved: 0 },
    skipped: { fresh: 0, spaced: 0, overBudget: 0, newOverBound: 0 },
    seconds: 0,
    longestSeconds: 0,
  };
  for (const decision of plan.decisions) {
    if (decision.read) tally.made[decision.reason]++;
    else tally.skipped[decision.reason]++;
  }
  for (const outcome of outcomes) {
    if (outcome.ms === undefined) continue; // read ahead, untimed (budgetState.ReadOutcome)
    tally.seconds += outcome.ms / 1000;
    tally.longestSeconds = Math.max(tally.longestSeconds, outcome.ms / 1000);
  }
  return tally;
}
