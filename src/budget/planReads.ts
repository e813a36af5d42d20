import type { BudgetKnobs } from './budgetKnobs.js';
import { processKey, type BudgetState, type ExactRead, type ProcessBudget } from './budgetState.js';
import { residentMove, residentOf, type CheapFigures } from './cheapFigures.js';
import { expectedReadMs } from './readCost.js';

/** One process of this scan, as the planner needs it: who it is and how big, from what costs no walk. */
export interface ScannedProcess {
  pid: number;
  /** Clock ticks since boot (stat field 22): PID + start time identify a process. */
  startTime: number;
  /** Its comm: a new one under the same PID and start time is an exec. */
  name: string;
  /** Resident bytes: stat's RSS (field 24, in pages), which the scan reads anyway; or statm's, or status's VmRSS. */
  residentBytes: number;
  /** Its parts, where the scan read status (or statm): then a move is judged part by part (cheapMove), else by the resident size. */
  cheap?: CheapFigures;
}

/**
 * Why a process is read exactly this scan: every process is (--exact); its read
 * is within the bound; it is over the bound and has no exact read yet, and the
 * bound now spaces its first one (the scans since it was first seen × the bound
 * reach its expected read); its exact figure is a refresh period old (or it was
 * first seen that long ago); its cheap figures moved by more than the change share.
 */
export type ReadReason = 'exact' | 'small' | 'first' | 'refresh' | 'moved';
/**
 * Why it is not: its exact figure is fresh; it moved, but was read too lately
 * for the bound to allow another; it is due but the scan's budget is spent; it is
 * new (or exec'd) and already over the bound, and its first read is not spaced
 * yet, so it is from status until then.
 */
export type SkipReason = 'fresh' | 'spaced' | 'overBudget' | 'newOverBound';

export type ReadDecision =
  | { pid: number; startTime: number; expectedMs: number; read: true; reason: ReadReason }
  /** basis: 'carried' from its last exact figure, or 'status' where it has none yet. */
  | { pid: number; startTime: number; expectedMs: number; read: false; reason: SkipReason; basis: 'carried' | 'status' };

export interface ReadPlan {
  /** One per process, in the order given. */
  decisions: ReadDecision[];
  /** The expected ms of the reads planned, and of those over the bound (what scanBudgetMs bounds). */
  expectedMs: number;
  overBoundExpectedMs: number;
}

/** How far a process moved since its last exact read. */
function movedSince(exact: ExactRead, process: ScannedProcess): number {
  return residentMove(exact.cheap, residentOf(exact.cheap), process.cheap, process.residentBytes);
}

interface Candidate {
  index: number;
  process: ScannedProcess;
  record: ProcessBudget;
  expectedMs: number;
  reason: 'first' | 'refresh' | 'moved';
  /** Since when its figure is unrefreshed: its last exact read, or when it was first seen. */
  sinceMs: number;
}

// Decisions as literal objects of one shape each: a plan makes one per process every scan.
const readDecision = (process: ScannedProcess, expectedMs: number, reason: ReadReason): ReadDecision =>
  ({ pid: process.pid, startTime: process.startTime, expectedMs, read: true, reason });
const skipDecision = (process: ScannedProcess, expectedMs: number, reason: SkipReason, record: ProcessBudget): ReadDecision =>
  ({ pid: process.pid, startTime: process.startTime, expectedMs, read: false, reason, basis: record.exact === undefined ? 'status' : 'carried' });

/**
 * Which processes of this scan to read exactly, and the state to keep (the
 * processes of this scan only: the gone are forgotten here). Pure: `nowMs` is
 * the scan's time. The rules (docs/budget.md):
 * - a read expected within the bound (knobs.maxReadMs) is always made;
 * - a process over it is read when its figure is a refresh period old, or when
 *   its cheap figures moved by more than the change share — the latter only if
 *   its reads, spread over the scans since its last one, stall it no more per
 *   scan than the bound (scans since × bound ≥ its expected read);
 * - a process new (or exec'd) and already over the bound starts from status, and
 *   gets its first exact read by the same spacing, counted from the scan that
 *   first saw it (or at its refresh, counted from then, if that comes sooner);
 *   how it moved meanwhile does not matter: its figures from status drift from
 *   nothing. From that read on its refresh clock runs from the read;
 * - those reads together stay within the scan's budget, the longest unrefreshed
 *   first; the first of them is made whatever its cost (else a process dearer
 *   than the whole budget would never be read).
 */
export function planReads(processes: readonly ScannedProcess[], state: BudgetState, knobs: BudgetKnobs, nowMs: number): { plan: ReadPlan; state: BudgetState } {
  const scan = state.scan + 1;
  const kept = new Map<string, ProcessBudget>();
  const decisions: ReadDecision[] = [];
  const candidates: Candidate[] = [];
  let expectedMs = 0;
  for (let index = 0; index < processes.length; index++) {
    const process = processes[index];
    const key = processKey(process.pid, process.startTime);
    let record = state.processes.get(key);
    if (record === undefined || record.name !== process.name) {
      record = { pid: process.pid, startTime: process.startTime, name: process.name, firstSeenAtMs: nowMs, firstSeenScan: scan };
    }
    kept.set(key, record);
    const expected = expectedReadMs(process.residentBytes, state.machine, record.walk);
    if (knobs.exact || expected <= knobs.maxReadMs) {
      decisions.push(readDecision(process, expected, knobs.exact ? 'exact' : 'small'));
      expectedMs += expected;
      continue;
    }
    // Over the bound: decided below, with the others due, or skipped now. A placeholder keeps the order.
    const { exact } = record;
    const sinceMs = exact?.atMs ?? record.firstSeenAtMs;
    // Spread over the scans since its last read (or since it was first seen), its read stalls it no more per scan than the bound.
    const spaced = (scan - (exact?.scan ?? record.firstSeenScan)) * knobs.maxReadMs >= expected;
    if (nowMs - sinceMs >= knobs.refreshMs) {
      candidates.push({ index, process, record, expectedMs: expected, reason: 'refresh', sinceMs });
      decisions.push(skipDecision(process, expected, 'overBudget', record));
    } else if (exact === undefined) {
      if (spaced) candidates.push({ index, process, record, expectedMs: expected, reason: 'first', sinceMs });
      decisions.push(skipDecision(process, expected, spaced ? 'overBudget' : 'newOverBound', record));
    } else if (movedSince(exact, process) > knobs.changeShare) {
      if (spaced) candidates.push({ index, process, record, expectedMs: expected, reason: 'moved', sinceMs });
      decisions.push(skipDecision(process, expected, spaced ? 'overBudget' : 'spaced', record));
    } else {
      decisions.push(skipDecision(process, expected, 'fresh', record));
    }
  }
  candidates.sort((a, b) => a.sinceMs - b.sinceMs || a.process.pid - b.process.pid);
  let overBoundExpectedMs = 0;
  let overBoundReads = 0;
  for (const candidate of candidates) {
    if (overBoundReads > 0 && overBoundExpectedMs + candidate.expectedMs > knobs.scanBudgetMs) continue;
    decisions[candidate.index] = readDecision(candidate.process, candidate.expectedMs, candidate.reason);
    overBoundExpectedMs += candidate.expectedMs;
    overBoundReads++;
  }
  return {
    plan: { decisions, expectedMs: expectedMs + overBoundExpectedMs, overBoundExpectedMs },
    state: { scan, machine: state.machine, processes: kept },
  };
}
