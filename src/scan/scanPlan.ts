import type { ExactRead } from '../budget/budgetState.js';

/**
 * What a scan reads exactly and what it does not: the read budget's decisions
 * (budget/planReads.ts) as the scan takes them, plain data, so that the partner
 * thread gets the same plan (it crosses by structured clone). A process the plan
 * skips has no smaps_rollup read, ahead or not: its figures are carried forward
 * from its last exact read by the change in status's counters, or, where it has
 * none yet, taken from status. A process the plan reads is read exactly, and the
 * read timed and stamped. A process the plan does not list (it started after the
 * stat pass, or its PID was reused since) is new: read exactly at once unless it
 * is already over the bound, and then from status, as the plan decides any new
 * process.
 */
export interface ScanPlan {
  /** The plan's time: the age of a carried figure, and the time of a read, are measured from it. */
  nowMs: number;
  /** process.hrtime.bigint() when nowMs was taken: what is made later is stamped nowMs + the monotonic time since (planTime). */
  nowNs: bigint;
  /** PID → the process planned (its start time: a PID reused since is not it) and its last exact read. */
  skip: ReadonlyMap<number, PlannedSkip>;
  /** PID → each process the plan reads exactly. */
  read: ReadonlyMap<number, PlannedRead>;
  /** A process the plan does not list is read exactly up to this RSS (stat's, in pages), and from status over it. */
  newOverRssPages: number;
  /**
   * From this RSS (stat's pages) up, a read is made in line by the scan and timed: the reads the walk's rate is
   * learned from (budget/readCost.ts WALK_LEARNED_FROM_BYTES). A smaller process may have its smaps_rollup read
   * ahead on libuv's threads (scan/readAhead.ts), where its time would be the wait for a thread as much as the
   * walk: that read is made, counted and kept, but not timed.
   */
  inLineFromRssPages: number;
}

export interface PlannedSkip {
  startTime: number;
  /** Its last exact read; absent where it has none yet (its figures come from status). */
  exact?: ExactRead;
  /** Where it has none: when the budget first saw it (the plan's clock), so that how long it has gone unread is served. */
  firstSeenAtMs?: number;
}

export interface PlannedRead {
  startTime: number;
  /**
   * Read as within the bound, at the size the plan knew (the last scan's, where it plans from it): a process
   * that has grown past the bound since (stat's RSS over newOverRssPages) is not read at its new size now,
   * but carried from this last exact read (or from status): it moved, and the next plan decides it.
   */
  small: boolean;
  exact?: ExactRead;
}

/**
 * The plan's skip for this process: the plan skips it (the same PID with the
 * same start time); or it reads it within the bound and its RSS (stat's pages)
 * is now over the bound; or the plan does not list it and its RSS is over the
 * bound already (a new process: from status). undefined: read it exactly.
 */
export function plannedSkip(plan: ScanPlan | undefined, pid: number, startTime: number, rssPages: number): PlannedSkip | undefined {
  if (plan === undefined) return undefined;
  const skip = plan.skip.get(pid);
  if (skip !== undefined && skip.startTime === startTime) return skip;
  const read = plan.read.get(pid);
  if (read !== undefined && read.startTime === startTime) {
    if (!read.small || rssPages <= plan.newOverRssPages) return undefined;
    return read.exact === undefined ? { startTime } : { startTime, exact: read.exact };
  }
  return rssPages > plan.newOverRssPages ? { startTime } : undefined;
}

/** The plan's clock now (ms, as nowMs), from the monotonic clock: a read's time as it is made, a carried figure's age as it is carried. */
export function planTime(plan: ScanPlan, nowNs: bigint = process.hrtime.bigint()): number {
  return plan.nowMs + Number(nowNs - plan.nowNs) / 1e6;
}
