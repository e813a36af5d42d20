import { describe, expect, it } from '@jest/globals';
import { emptyBudgetState, processKey } from '../../src/budget/budgetState.js';
import { DEFAULT_BUDGET_KNOBS } from '../../src/budget/budgetKnobs.js';
import { planReads, type ScannedProcess } from '../../src/budget/planReads.js';
import { admitUnplanned } from '../../src/budget/unplanned.js';
import { emptyCounters } from '../../src/kernel/procfs/memoryCounters.js';
import type { FigureBasis, ProcessSample } from '../../src/model/processSample.js';

const MIB = 2 ** 20;

function sample(pid: number, startTime: number, rss: number, basis: FigureBasis | undefined): ProcessSample {
  const counters = emptyCounters();
  counters.rss = rss;
  counters.privateDirty = rss;
  return { pid, startTime, ppid: 1, statusName: `p${pid}`, exeDeleted: false, cmdline: [], counters, estimated: basis === 'status', ...(basis === undefined ? {} : { basis }) };
}

const scanned = (pid: number, startTime: number, residentBytes: number): ScannedProcess => ({ pid, startTime, name: `p${pid}`, residentBytes });

describe('the processes a scan measured that its plan did not list', () => {
  // The plan lists 10 (small) and 11 (1 GiB: over the bound at 20 ms/GiB, new: from status).
  const planned = planReads([scanned(10, 100, 4 * MIB), scanned(11, 111, 1024 * MIB)], emptyBudgetState(), DEFAULT_BUDGET_KNOBS, 5_000);

  it('join the state as first seen now, and their decisions the plan\'s, as the scan decided them', () => {
    const samples = [
      sample(10, 100, 4 * MIB, 'exact'),
      sample(11, 111, 1024 * MIB, 'status'),
      sample(12, 120, 2 * MIB, 'exact'), // started after the stat pass, read at once
      sample(13, 130, 2048 * MIB, 'status'), // started after it, over the bound
      sample(11, 999, 3 * MIB, 'exact'), // not listed either: 11's PID under another start time is another process
    ];
    const { plan, state } = admitUnplanned(planned.plan, samples, planned.state, 9_000);
    const why = plan.decisions.map((d) => `${d.pid}:${d.startTime} ${d.read ? 'read' : 'skip'} ${d.reason}`);
    expect(why).toEqual(['10:100 read small', '11:111 skip newOverBound', '12:120 read small', '13:130 skip newOverBound', '11:999 read small']);
    expect(state.processes.size).toBe(5);
    expect(state.processes.get(processKey(13, 130))).toEqual({ pid: 13, startTime: 130, name: 'p13', firstSeenAtMs: 9_000, firstSeenScan: 1 });
    // The planned ones are as the plan left them.
    expect(state.processes.get(processKey(11, 111))).toBe(planned.state.processes.get(processKey(11, 111)));
    // The reads it adds are in the plan's expected ms: 0.2 fixed + 20 ms/GiB each.
    expect(plan.expectedMs).toBeCloseTo(planned.plan.expectedMs + (0.2 + 20 * (2 / 1024)) + (0.2 + 20 * (3 / 1024)), 10);
  });

  it('give one over the bound its first exact read by the same spacing as a planned one, from the scan that saw it', () => {
    const samples = [sample(10, 100, 4 * MIB, 'exact'), sample(11, 111, 1024 * MIB, 'status'), sample(13, 130, 2048 * MIB, 'status')];
    let { state } = admitUnplanned(planned.plan, samples, planned.state, 9_000);
    // Seen at scan 1, 2 GiB: 0.2 + 40 = 40.2 ms expected, so (scan − 1) × 10 ms reach it at scan 6, not 5.
    const decided: string[] = [];
    for (let scan = 2; scan <= 6; scan++) {
      const next = planReads([scanned(10, 100, 4 * MIB), scanned(13, 130, 2048 * MIB)], state, DEFAULT_BUDGET_KNOBS, scan * 1000 + 9_000);
      state = next.state;
      const decision = next.plan.decisions[1];
      decided.push(`${scan} ${decision.read ? 'read' : 'skip'} ${decision.reason}`);
    }
    expect(decided).toEqual(['2 skip newOverBound', '3 skip newOverBound', '4 skip newOverBound', '5 skip newOverBound', '6 read first']);
  });

  it('count a read planned within the bound that the scan did not make (grown past the bound since) as spaced', () => {
    const samples = [sample(10, 100, 600 * MIB, 'carried'), sample(11, 111, 1024 * MIB, 'status')];
    const { plan, state } = admitUnplanned(planned.plan, samples, planned.state, 9_000);
    expect(plan.decisions.map((d) => `${d.pid} ${d.read ? 'read' : 'skip'} ${d.reason}`)).toEqual(['10 skip spaced', '11 skip newOverBound']);
    expect(planned.plan.decisions[0].read).toBe(true);
    expect(state).toBe(planned.state);
  });

  it('leave the plan and the state as they are when there are none', () => {
    const samples = [sample(10, 100, 4 * MIB, 'exact'), sample(11, 111, 1024 * MIB, 'status'), sample(14, 140, MIB, undefined)];
    const admitted = admitUnplanned(planned.plan, samples, planned.state, 9_000);
    expect(admitted.plan).toBe(planned.plan);
    expect(admitted.state).toBe(planned.state);
  });
});
