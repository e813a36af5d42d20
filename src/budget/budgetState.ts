import type { MemoryCounters } from '../kernel/procfs/memoryCounters.js';
import { cheapFromCounters, type CheapFigures } from './cheapFigures.js';
import { INITIAL_READ_COST, learnMachineCost, learnProcessRate, type MachineReadCost, type WalkRate } from './readCost.js';

/**
 * What the read budget keeps from one scan to the next: per process (PID + start
 * time) its last exact figures and when, and what its reads cost; machine-wide
 * what reads cost. Bounded: a plan keeps only the processes of its scan (see
 * planReads), so a long-running mode holds one record per live process, never more.
 */
export interface BudgetState {
  /** Plans made so far: the number of the last scan. */
  scan: number;
  machine: MachineReadCost;
  processes: ReadonlyMap<string, ProcessBudget>;
}

/** An exact read's counters as kept: the kernel's known fields only (not `other`: a record stays small). */
export type ExactCounters = Omit<MemoryCounters, 'other'>;

export interface ExactRead {
  atMs: number;
  /** The scan it was made in. */
  scan: number;
  counters: ExactCounters;
  /** The cheap figures beside it (read with it, or as it saw them): what later ones are measured against. */
  cheap: CheapFigures;
}

export interface ProcessBudget {
  pid: number;
  startTime: number;
  /** Its comm (stat's or status's name): a change with PID and start time the same is an exec, a new address space. */
  name: string;
  /** When it was first seen, and in which scan: a process not read exactly yet has its first read spaced, and its refresh due, from then. */
  firstSeenAtMs: number;
  firstSeenScan: number;
  exact?: ExactRead;
  /** Its own walk rate, once a read of it was big enough to say. */
  walk?: WalkRate;
}

/** What one exact read gave, for recordReads. */
export interface ReadOutcome {
  pid: number;
  startTime: number;
  /** How long the read took; absent for a read made untimed (ahead, on libuv's threads): it is kept, and teaches nothing of the cost. */
  ms?: number;
  /** The counters read; undefined when the read failed (denied, gone): nothing is learned from it. */
  counters?: MemoryCounters;
  /** The cheap figures read with it, where the scan read status or statm beside it; else they are taken from the counters (cheapFromCounters). */
  cheap?: CheapFigures;
  /** When it was read; the call's time where not given. */
  atMs?: number;
}

export const processKey = (pid: number, startTime: number): string => `${pid}:${startTime}`;

export function emptyBudgetState(machine: MachineReadCost = INITIAL_READ_COST): BudgetState {
  return { scan: 0, machine, processes: new Map() };
}

function keptCounters(counters: MemoryCounters): ExactCounters {
  const { other: _other, ...known } = counters;
  return known;
}

/**
 * The state after a scan's exact reads: each read becomes its process's last
 * exact figure, and its time teaches the machine's cost and the process's own.
 * Outcomes of processes the last plan did not keep are left out (they were not
 * planned, or are gone).
 */
export function recordReads(state: BudgetState, outcomes: readonly ReadOutcome[], nowMs: number): BudgetState {
  let machine = state.machine;
  const processes = new Map(state.processes);
  for (const outcome of outcomes) {
    if (outcome.counters === undefined) continue;
    const key = processKey(outcome.pid, outcome.startTime);
    const record = processes.get(key);
    if (record === undefined) continue;
    // The walk visited what the read counts as resident.
    const resident = outcome.counters.rss;
    const walk = outcome.ms === undefined ? record.walk : learnProcessRate(record.walk, machine, resident, outcome.ms);
    if (outcome.ms !== undefined) machine = learnMachineCost(machine, resident, outcome.ms);
    const exact: ExactRead = { atMs: outcome.atMs ?? nowMs, scan: state.scan, counters: keptCounters(outcome.counters), cheap: outcome.cheap ?? cheapFromCounters(outcome.counters) };
    processes.set(key, walk === undefined ? { ...record, exact } : { ...record, exact, walk });
  }
  return { scan: state.scan, machine, processes };
}
