import type { ExactRead } from '../budget/budgetState.js';

/**
 * What a scan reads exactly and what it does not: the read budget's decisions
 * (budget/planReads.ts) as the scan takes them, plain data, so that the partner
 * thread gets the same plan (it crosses by structured clone). A process the plan
 * skips has no smaps_rollup read, ahead or not: its figures are carried forward
 * from its last exact read by the change in status's counters, or, where it has
 * none yet, taken from status. Every other process is read exactly, and the read
 * timed.
 */
export interface ScanPlan {
  /** The plan's time: the age of a carried figure is measured from it. */
  nowMs: number;
  /** PID → the process planned (its start time: a PID reused since is not it) and its last exact read. */
  skip: ReadonlyMap<number, PlannedSkip>;
}

export interface PlannedSkip {
  startTime: number;
  /** Its last exact read; absent where it has none yet (its figures come from status). */
  exact?: ExactRead;
}

/** The plan's skip for this process, if the plan skips it (the same PID with the same start time). */
export function plannedSkip(plan: ScanPlan | undefined, pid: number, startTime: number): PlannedSkip | undefined {
  const skip = plan?.skip.get(pid);
  return skip !== undefined && skip.startTime === startTime ? skip : undefined;
}
