import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BUDGET_KNOBS, type BudgetKnobs } from '../../src/budget/budgetKnobs.js';
import { emptyBudgetState, processKey, recordReads, type BudgetState, type ReadOutcome } from '../../src/budget/budgetState.js';
import type { CheapFigures } from '../../src/budget/cheapFigures.js';
import { emptyCounters } from '../../src/kernel/procfs/memoryCounters.js';
import { planReads, type ReadDecision, type ScannedProcess } from '../../src/budget/planReads.js';
import { tallyPlan } from '../../src/budget/planTally.js';

const MIB = 2 ** 20;
const GIB = 2 ** 30;
const MINUTE = 60_000;
const knobs: BudgetKnobs = { ...DEFAULT_BUDGET_KNOBS };

/** A process of `anon` bytes of RssAnon and 8 MiB of file pages (its binary and libraries), its status read. */
function process(pid: number, anon: number, name = `p${pid}`, startTime = 1000 + pid): ScannedProcess {
  return { pid, startTime, name, residentBytes: anon + 8 * MIB, cheap: { anon, fileAndShmem: 8 * MIB, swap: 0 } };
}

/** Plans a scan at `nowMs`, then makes every read it planned, each taking what it was expected to, with counters that match the cheap figures. */
function scan(state: BudgetState, processes: ScannedProcess[], nowMs: number, given: BudgetKnobs = knobs): { state: BudgetState; decisions: Map<number, ReadDecision> } {
  const planned = planReads(processes, state, given, nowMs);
  const outcomes: ReadOutcome[] = planned.plan.decisions.filter((decision) => decision.read).map((decision) => {
    const cheap = processes.find((p) => p.pid === decision.pid)!.cheap!;
    return { pid: decision.pid, startTime: decision.startTime, ms: decision.expectedMs, counters: countersOf(cheap), cheap };
  });
  return { state: recordReads(planned.state, outcomes, nowMs), decisions: new Map(planned.plan.decisions.map((decision) => [decision.pid, decision])) };
}

function countersOf(cheap: CheapFigures) {
  const counters = emptyCounters();
  counters.privateDirty = cheap.anon;
  counters.anonymous = cheap.anon;
  counters.rss = cheap.anon + cheap.fileAndShmem;
  counters.pss = cheap.anon + cheap.fileAndShmem / 4;
  counters.sharedClean = cheap.fileAndShmem;
  return counters;
}

const why = (decision: ReadDecision | undefined) => (decision === undefined ? 'none' : `${decision.read ? 'read' : 'skip'} ${decision.reason}`);

describe('planReads', () => {
  it('expects a read to cost 0.2 ms and 20 ms per resident GiB before it has learned anything', () => {
    const { plan } = planReads([process(1, 0), process(2, GIB - 8 * MIB)], emptyBudgetState(), knobs, 0);
    expect(plan.decisions.map((decision) => decision.expectedMs)).toEqual([0.2 + 20 * (8 / 1024), 0.2 + 20]);
  });

  it('reads every process every scan with --exact, however big', () => {
    let state = emptyBudgetState();
    const processes = [process(1, 100 * MIB), process(2, 8 * GIB), process(3, 200 * GIB)];
    for (let minute = 0; minute < 3; minute++) {
      const result = scan(state, processes, minute * MINUTE, { ...knobs, exact: true });
      state = result.state;
      expect([...result.decisions.values()].map(why)).toEqual(['read exact', 'read exact', 'read exact']);
    }
  });

  it('reads a process within the bound at every scan, and one over it at most once per refresh period', () => {
    let state = emptyBudgetState();
    // 256 MiB: 0.2 + 5.2 ms, within 10. 2 GiB: 0.2 + 40.2 ms, over.
    const small = process(1, 256 * MIB);
    const big = process(2, 2 * GIB);
    const seen: string[] = [];
    for (let second = 0; second <= 620; second += 10) {
      const result = scan(state, [small, big], second * 1000);
      state = result.state;
      expect(why(result.decisions.get(1))).toBe('read small');
      if (result.decisions.get(2)!.read) seen.push(`${second} ${why(result.decisions.get(2))}`);
    }
    // New and over the bound: from status until its first read, spaced by the bound (5 scans × 10 ms reach its 40.36 ms),
    // then once per refresh period from that read.
    expect(seen).toEqual(['50 read first', '350 read refresh']);
  });

  it('starts a new process over the bound from status, and reads a new small one at once', () => {
    const { plan } = planReads([process(1, 10 * MIB), process(2, 4 * GIB)], emptyBudgetState(), knobs, 0);
    expect(plan.decisions[0]).toMatchObject({ read: true, reason: 'small' });
    expect(plan.decisions[1]).toMatchObject({ read: false, reason: 'newOverBound', basis: 'status' });
  });

  it('gives a new process over the bound its first exact read exactly when the bound spaces it, not a scan earlier', () => {
    // 2 GiB + 8 MiB resident: 0.2 + 40.16 = 40.36 ms expected. First seen at scan 1: (scan − 1) × 10 ms must reach it.
    let state = emptyBudgetState();
    const still: string[] = [];
    for (let n = 1; n <= 8; n++) {
      const result = scan(state, [process(20, 2 * GIB)], n * 1000);
      state = result.state;
      still.push(`${n} ${why(result.decisions.get(20))} ${result.decisions.get(20)!.read ? '' : (result.decisions.get(20) as { basis: string }).basis}`.trim());
    }
    expect(still).toEqual([
      '1 skip newOverBound status', '2 skip newOverBound status', '3 skip newOverBound status', '4 skip newOverBound status', '5 skip newOverBound status',
      '6 read first', '7 skip fresh carried', '8 skip fresh carried',
    ]);
    // Its refresh clock runs from that read (at 6 s), not from when it was first seen (1 s).
    expect(state.processes.get(processKey(20, 1020))!.exact).toMatchObject({ atMs: 6000, scan: 6 });
    expect(why(scan(state, [process(20, 2 * GIB)], 305_999).decisions.get(20))).toBe('skip fresh');
    expect(why(scan(state, [process(20, 2 * GIB)], 306_000).decisions.get(20))).toBe('read refresh');

    // Grown to 3 GiB at its third scan: not read sooner for moving (its figures from status drift from nothing), but spaced
    // by its read at the size it has now: 0.2 + 60.16 = 60.36 ms, so (scan − 1) × 10 ms reach it at scan 8, not 7.
    let growing = emptyBudgetState();
    const grown: string[] = [];
    for (let n = 1; n <= 8; n++) {
      const result = scan(growing, [process(21, n < 3 ? 2 * GIB : 3 * GIB)], n * 1000);
      growing = result.state;
      grown.push(`${n} ${why(result.decisions.get(21))}`);
    }
    expect(grown).toEqual([
      '1 skip newOverBound', '2 skip newOverBound', '3 skip newOverBound', '4 skip newOverBound', '5 skip newOverBound',
      '6 skip newOverBound', '7 skip newOverBound', '8 read first',
    ]);
  });

  it('lets a first read compete with the others due within the scan budget, the longest unrefreshed first', () => {
    // 30 was read at 0 s; 31, 32 and 33 (2 GiB each, 40.36 ms) are first seen at 1 s, scan 2.
    const old = process(30, 2 * GIB);
    const fresh = [process(31, 2 * GIB), process(32, 2 * GIB), process(33, 2 * GIB)];
    let state = scan(emptyBudgetState(), [old], 0, { ...knobs, exact: true }).state;
    for (let n = 2; n <= 6; n++) {
      const result = scan(state, [old, ...fresh], (n - 1) * 1000);
      state = result.state;
      expect([...result.decisions.values()].map(why)).toEqual(['skip fresh', 'skip newOverBound', 'skip newOverBound', 'skip newOverBound']);
    }
    // Scan 7, at 300 s: 30's refresh is due (unrefreshed since 0 s) and the three first reads are spaced (unrefreshed since 1 s).
    // 100 ms holds two reads of about 40 ms: 30's, then 31's (the lower PID of those first seen together).
    const seventh = planReads([old, ...fresh], state, knobs, 300_000);
    expect(seventh.plan.decisions.map(why)).toEqual(['read refresh', 'read first', 'skip overBudget', 'skip overBudget']);
    expect(seventh.plan.decisions.map((d) => (d.read ? 'read' : d.basis))).toEqual(['read', 'read', 'status', 'status']);
    expect(seventh.plan.overBoundExpectedMs).toBeLessThanOrEqual(knobs.scanBudgetMs);
    state = scan(state, [old, ...fresh], 300_000).state;
    // The next scan, before their refresh (at 301 s): the two left, still the longest unrefreshed, both within the budget.
    expect([...scan(state, [old, ...fresh], 300_500).decisions.values()].map(why)).toEqual(['skip fresh', 'skip fresh', 'read first', 'read first']);
  });

  it('reads a process over the bound again when it moved by more than the share, no more often than the bound allows', () => {
    let state = emptyBudgetState();
    // Read while small (400 MiB + 8 MiB of files: 0.2 + 7.97 ms), then 2 GiB: 0.2 + 40.16 ms expected, a move of 400%.
    const first = scan(state, [process(7, 400 * MIB)], 0);
    expect(why(first.decisions.get(7))).toBe('read small');
    state = first.state;
    const reads: string[] = [];
    for (let n = 1; n <= 12; n++) {
      const result = scan(state, [process(7, 2 * GIB)], n * 1000);
      state = result.state;
      reads.push(`${n} ${why(result.decisions.get(7))}`);
    }
    // Scans since its last read × 10 ms must reach ~40.4 ms: the fifth scan after it. Read then, at 2 GiB, it has not moved since.
    expect(reads).toEqual([
      '1 skip spaced', '2 skip spaced', '3 skip spaced', '4 skip spaced', '5 read moved',
      '6 skip fresh', '7 skip fresh', '8 skip fresh', '9 skip fresh', '10 skip fresh', '11 skip fresh', '12 skip fresh',
    ]);
  });

  it('leaves a move within the share to the refresh period', () => {
    let state = scan(emptyBudgetState(), [process(3, 2 * GIB)], 0, { ...knobs, exact: true }).state;
    // 2 GiB + 8 MiB resident; 200 MiB more is a move of 9.7%, under 10%.
    for (let n = 1; n <= 10; n++) {
      const result = scan(state, [process(3, 2 * GIB + 200 * MIB)], n * 1000);
      state = result.state;
      expect(why(result.decisions.get(3))).toBe('skip fresh');
    }
    // 220 MiB more: 10.7%.
    expect(why(scan(state, [process(3, 2 * GIB + 220 * MIB)], 11_000).decisions.get(3))).toBe('read moved');
  });

  it('keeps the reads over the bound within the scan budget, the longest unrefreshed first', () => {
    let state = emptyBudgetState();
    // Four 2 GiB processes (40.36 ms each), each read exactly once: 14 at 0 s, 13 at 60, 12 at 120, 11 at 180.
    const processes = [process(11, 2 * GIB), process(12, 2 * GIB), process(13, 2 * GIB), process(14, 2 * GIB)];
    for (const [index, p] of [...processes].reverse().entries()) {
      const planned = planReads(processes, state, knobs, index * MINUTE);
      state = recordReads(planned.state, [{ pid: p.pid, startTime: p.startTime, ms: 40, counters: countersOf(p.cheap!), cheap: p.cheap }], index * MINUTE);
    }
    // At 10 minutes all four are due; 100 ms holds two of them: 14 and 13, read longest ago.
    const { plan } = planReads(processes, state, knobs, 10 * MINUTE);
    expect(plan.decisions.map(why)).toEqual(['skip overBudget', 'skip overBudget', 'read refresh', 'read refresh']);
    expect(plan.overBoundExpectedMs).toBeLessThanOrEqual(knobs.scanBudgetMs);
    expect(plan.decisions[0]).toMatchObject({ basis: 'carried' });
    // A budget of 0: the one due read a scan always makes, the longest unrefreshed.
    expect(planReads(processes, state, { ...knobs, scanBudgetMs: 0 }, 10 * MINUTE).plan.decisions.map(why)).toEqual(['skip overBudget', 'skip overBudget', 'skip overBudget', 'read refresh']);
  });

  it('makes the first due read over the bound even when it alone is dearer than the budget', () => {
    // 200 GiB: 4 s at 20 ms/GiB, against a budget of 100 ms.
    const huge = process(5, 200 * GIB);
    let state = scan(emptyBudgetState(), [huge], 0).state;
    const result = scan(state, [huge, process(6, 2 * GIB)], 5 * MINUTE);
    expect(why(result.decisions.get(5))).toBe('read refresh');
    // 6 is new: from status, and not due yet.
    expect(why(result.decisions.get(6))).toBe('skip newOverBound');
    state = result.state;
    expect(state.processes.get(processKey(5, huge.startTime))!.exact!.atMs).toBe(5 * MINUTE);
  });

  it('takes a process whose name changed under the same PID and start time for a new one (an exec)', () => {
    const before = process(8, 100 * MIB, 'bash');
    let state = scan(emptyBudgetState(), [before], 0).state;
    expect(state.processes.get(processKey(8, before.startTime))!.exact).toBeDefined();
    const after = process(8, 3 * GIB, 'postgres', before.startTime);
    const result = scan(state, [after], 1000);
    state = result.state;
    expect(result.decisions.get(8)).toMatchObject({ read: false, reason: 'newOverBound', basis: 'status' });
    expect(state.processes.get(processKey(8, before.startTime))).toMatchObject({ name: 'postgres', firstSeenAtMs: 1000 });
    expect(state.processes.get(processKey(8, before.startTime))!.exact).toBeUndefined();
    // Its first read is spaced from the exec's scan (2): 3 GiB + 8 MiB, 0.2 + 60.16 = 60.36 ms, so (scan − 2) × 10 ms reach it at scan 9.
    const decided: string[] = [];
    for (let n = 3; n <= 9; n++) {
      const next = scan(state, [after], n * 1000);
      state = next.state;
      decided.push(`${n} ${why(next.decisions.get(8))}`);
    }
    expect(decided).toEqual(['3 skip newOverBound', '4 skip newOverBound', '5 skip newOverBound', '6 skip newOverBound', '7 skip newOverBound', '8 skip newOverBound', '9 read first']);
  });

  it('forgets the processes that are gone: a long-running mode holds one record per live process', () => {
    let state = emptyBudgetState();
    const many = Array.from({ length: 1000 }, (_, i) => process(100 + i, MIB));
    state = scan(state, many, 0).state;
    expect(state.processes.size).toBe(1000);
    // 500 scans, each of 20 processes of which 10 are new (PIDs never seen before) and 10 stay.
    for (let n = 1; n <= 500; n++) {
      const staying = [process(1, 3 * GIB), ...Array.from({ length: 9 }, (_, i) => process(2 + i, MIB))];
      const fresh = Array.from({ length: 10 }, (_, i) => process(10_000 + n * 10 + i, MIB));
      state = scan(state, [...staying, ...fresh], n * 1000).state;
      expect(state.processes.size).toBe(20);
    }
    // The same PID with another start time is another process: the old one is dropped.
    state = scan(state, [process(1, 3 * GIB, 'p1', 99_999)], 501_000).state;
    expect([...state.processes.keys()]).toEqual([processKey(1, 99_999)]);
  });

  it("judges a move by the resident size alone where the scan read only stat, against the exact read's own counters", () => {
    // Read exactly (2 GiB anonymous + 8 MiB of files), with no status beside it: the baseline is the rollup's Anonymous and Rss.
    const statOnly = (resident: number): ScannedProcess => ({ pid: 9, startTime: 1009, name: 'p9', residentBytes: resident });
    let state = planReads([statOnly(2 * GIB + 8 * MIB)], emptyBudgetState(), { ...knobs, exact: true }, 0).state;
    state = recordReads(state, [{ pid: 9, startTime: 1009, ms: 40, counters: countersOf({ anon: 2 * GIB, fileAndShmem: 8 * MIB }) }], 0);
    expect(state.processes.get(processKey(9, 1009))!.exact!.cheap).toEqual({ anon: 2 * GIB, fileAndShmem: 8 * MIB, swap: 0 });
    // 9.7% bigger: fresh; 10.7% (and 5 scans on, as the bound asks of a 40 ms read): read.
    const within = planReads([statOnly(2 * GIB + 8 * MIB + 200 * MIB)], state, knobs, 1000);
    expect(why(within.plan.decisions[0])).toBe('skip fresh');
    let later = within.state;
    for (let n = 2; n <= 4; n++) later = planReads([statOnly(2 * GIB + 8 * MIB + 220 * MIB)], later, knobs, n * 1000).state;
    expect(why(planReads([statOnly(2 * GIB + 8 * MIB + 220 * MIB)], later, knobs, 5000).plan.decisions[0])).toBe('read moved');
  });

  it('learns from each read the walk over the pages it counted (its Rss)', () => {
    const big = process(4, 2 * GIB - 8 * MIB);
    const planned = planReads([big], emptyBudgetState(), { ...knobs, exact: true }, 0);
    // 2 GiB read in 100.2 ms: 50 ms per GiB of its own; the machine's (5 × 0.8 + 100) / (0.25 × 0.8 + 2).
    const state = recordReads(planned.state, [{ pid: 4, startTime: big.startTime, ms: 100.2, counters: countersOf(big.cheap!) }], 0);
    expect(state.processes.get(processKey(4, big.startTime))!.walk).toEqual({ walkMs: 100, gib: 2 });
    expect(state.machine.walk.walkMs).toBeCloseTo(104, 10);
    expect(state.machine.walk.gib).toBeCloseTo(2.2, 10);
    expect(planReads([big], state, knobs, 1000).plan.decisions[0].expectedMs).toBeCloseTo(100.2, 10);
    // A failed read (denied, gone) teaches nothing and records nothing.
    const failed = recordReads(planned.state, [{ pid: 4, startTime: big.startTime, ms: 0.01 }], 0);
    expect(failed.machine).toEqual(planned.state.machine);
    expect(failed.processes.get(processKey(4, big.startTime))!.exact).toBeUndefined();
  });

  it('counts the reads made and skipped by reason, and the seconds they took', () => {
    const state = scan(emptyBudgetState(), [process(1, 2 * GIB)], 0, { ...knobs, exact: true }).state;
    const processes = [process(1, 2 * GIB), process(2, MIB), process(3, MIB), process(4, 5 * GIB)];
    const { plan } = planReads(processes, state, knobs, 1000);
    const tally = tallyPlan(plan, [
      { pid: 2, startTime: 1002, ms: 0.5, cheap: processes[1].cheap, counters: countersOf(processes[1].cheap!) },
      { pid: 3, startTime: 1003, ms: 1.5, cheap: processes[2].cheap },
    ]);
    expect(tally).toEqual({
      made: { exact: 0, small: 2, first: 0, refresh: 0, moved: 0 },
      skipped: { fresh: 1, spaced: 0, overBudget: 0, newOverBound: 1 },
      seconds: 0.002,
      longestSeconds: 0.0015,
    });
  });
});
