import type { BudgetKnobs } from './budgetKnobs.js';
import { processKey, type BudgetState, type ProcessBudget } from './budgetState.js';
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
 * is within the bound; its exact figure is a refresh period old (or it was first
 * seen that long ago); its cheap figures moved by more than the change share.
 */
export type ReadReason = 'exact' | 'small' | 'refresh' | 'moved';
/**
 * Why it is not: its exact figure is fresh; it moved, but was read too lately
 * for the bound to allow another; it is due but the scan's budget is spent; it is
 * new (or exec'd) and already over the bound, so it starts from status.
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

/** How far a process moved since its last exact read, or since it was first seen. */
function movedSince(record: ProcessBudget, process: ScannedProcess): number {
  if (record.exact !== undefined) return residentMove(record.exact.cheap, residentOf(record.exact.cheap), process.cheap, process.residentBytes);
  return residentMove(record.firstCheap, record.firstResident, process.cheap, process.residentBytes);
}

interface Candidate {
  index: number;
  /** Since when its figure is unrefreshed: its last exact read, or when it was first seen. */
  sinceMs: number;
}

/**
 * Which processes of this scan to read exactly, and the state to keep (the
 * processes of this scan only: the gone are forgotten here). Pure: `nowMs` is
 * the scan's time. The rules (docs/budget.md):
 * - a read expected within the bound (knobs.maxReadMs) is always made;
 * - a process over it is read when its figure is a refresh period old, or when
 *   its cheap figures moved by more than the change share — the latter only if
 *   its reads, spread over the scans since its last one, stall it no more per
 *   scan than the bound (scans since × bound ≥ its expected read);
 * - those reads together stay within the scan's budget, the longest unrefreshed
 *   first; the first of them is made whatever its cost (else a process dearer
 *   than the whole budget would never be read);
 * - a process new (or exec'd) and already over the bound starts from status, its
 *   refresh clock running from when it was first seen.
 */
export function planReads(processes: readonly ScannedProcess[], state: BudgetState, knobs: BudgetKnobs, nowMs: number): { plan: ReadPlan; state: BudgetState } {
  const scan = state.scan + 1;
  const kept = new Map<string, ProcessBudget>();
  const decisions: ReadDecision[] = new Array(processes.length);
  const candidates: Candidate[] = [];
  const reasons: ('refresh' | 'moved')[] = new Array(processes.length);
  let expectedMs = 0;
  for (let index = 0; index < processes.length; index++) {
    const process = processes[index];
    const key = processKey(process.pid, process.startTime);
    let record = state.processes.get(key);
    if (record === undefined || record.name !== process.name) {
      record = { pid: process.pid, startTime: process.startTime, name: process.name, firstSeenAtMs: nowMs, firstSeenScan: scan, firstResident: process.residentBytes, firstCheap: process.cheap };
    }
    kept.set(key, record);
    const expected = expectedReadMs(process.residentBytes, state.machine, record.walk);
    const identity = { pid: process.pid, startTime: process.startTime, expectedMs: expected };
    if (knobs.exact || expected <= knobs.maxReadMs) {
      decisions[index] = { ...identity, read: true, reason: knobs.exact ? 'exact' : 'small' };
      expectedMs += expected;
      continue;
    }
    const basis = record.exact === undefined ? 'status' : 'carried';
    const sinceMs = record.exact?.atMs ?? record.firstSeenAtMs;
    const sinceScan = record.exact?.scan ?? record.firstSeenScan;
    if (nowMs - sinceMs >= knobs.refreshMs) {
      reasons[index] = 'refresh';
      candidates.push({ index, sinceMs });
    } else if (movedSince(record, process) > knobs.changeShare) {
      if ((scan - sinceScan) * knobs.maxReadMs >= expected) {
        reasons[index] = 'moved';
        candidates.push({ index, sinceMs });
      } else {
        decisions[index] = { ...identity, read: false, reason: 'spaced', basis };
      }
    } else {
      decisions[index] = { ...identity, read: false, reason: basis === 'carried' ? 'fresh' : 'newOverBound', basis };
    }
  }
  candidates.sort((a, b) => a.sinceMs - b.sinceMs || processes[a.index].pid - processes[b.index].pid);
  let overBoundExpectedMs = 0;
  let overBoundReads = 0;
  for (const candidate of candidates) {
    const process = processes[candidate.index];
    const record = kept.get(processKey(process.pid, process.startTime))!;
    const expected = expectedReadMs(process.residentBytes, state.machine, record.walk);
    const identity = { pid: process.pid, startTime: process.startTime, expectedMs: expected };
    if (overBoundReads === 0 || overBoundExpectedMs + expected <= knobs.scanBudgetMs) {
      decisions[candidate.index] = { ...identity, read: true, reason: reasons[candidate.index] };
      overBoundExpectedMs += expected;
      overBoundReads++;
    } else {
      decisions[candidate.index] = { ...identity, read: false, reason: 'overBudget', basis: record.exact === undefined ? 'status' : 'carried' };
    }
  }
  return {
    plan: { decisions, expectedMs: expectedMs + overBoundExpectedMs, overBoundExpectedMs },
    state: { scan, machine: state.machine, processes: kept },
  };
}
