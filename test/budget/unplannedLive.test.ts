/**
 * A process that starts between the read budget's stat pass and the scan is not
 * in the plan (docs/budget.md, Integration): the scan decides it as the plan
 * decides a new process. Real processes, started after a real plan of this
 * machine: growingHog holding 256 MiB, over a 1 ms bound (a new process is read
 * at once up to (1 − 0.2 fixed) / 20 ms per GiB ≈ 41 MiB at the first guess's
 * rate), starts from status; growingHog holding nothing is read exactly at once,
 * and its read stamped when it was made, not when the scan's reads are recorded.
 * Both join the state as first seen at that scan: the big one's refresh clock
 * runs from then, so the next plan, a refresh period on, reads it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { DEFAULT_BUDGET_KNOBS, type BudgetKnobs } from '../../src/budget/budgetKnobs.js';
import { processKey } from '../../src/budget/budgetState.js';
import { parseBudgetState } from '../../src/budget/budgetStateText.js';
import { ReadBudget } from '../../src/collect/readBudget.js';
import { ProcReader } from '../../src/kernel/procReader.js';
import { scanProcesses, type ScanOptions } from '../../src/scan/scanProcesses.js';
import { fixtureBinary, stopChildren } from '../helpers/liveProcesses.js';
import { readRollup } from '../helpers/procRead.js';
import { until } from '../helpers/until.js';

const MIB = 2 ** 20;
const KNOBS: BudgetKnobs = { ...DEFAULT_BUDGET_KNOBS, maxReadMs: 1, refreshMs: 100_000 };
const OPTIONS: ScanOptions = { estimate: false, cgroups: false, names: false, oomScores: false, selfPid: process.pid };

/** The budget's clock, one value per call: plan 1, record 1 (100 s "later": what a stamp at the record would give), plan 2 (a refresh on), record 2. */
const CLOCK = [1_000_000, 1_100_000, 1_300_000, 1_300_500];

describe('a process the plan did not list', () => {
  const children: ChildProcess[] = [];

  /** growingHog holding `mib` MiB, once it says it is ready. */
  async function startHog(mib: number): Promise<number> {
    const hog = spawn(fixtureBinary('growingHog'), [String(mib)], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(hog);
    let said = '';
    hog.stdout!.on('data', (chunk: Buffer) => { said += chunk.toString(); });
    return until(`growingHog ${mib} ready`, () => {
      const ready = new RegExp(`ready pid=(\\d+) mib=${mib}\\n`).exec(said);
      return ready === null ? undefined : Number(ready[1]);
    }, 60_000);
  }

  beforeAll(() => {
    fixtureBinary('growingHog');
  });

  afterAll(async () => {
    for (const child of children) child.stdin?.end();
    await stopChildren(children);
  });

  it('starts from status when over the bound, is read at once within it, and joins the plan from then', async () => {
    const clock = [...CLOCK];
    const budget = new ReadBudget(KNOBS, undefined, () => clock.shift()!);
    const reader = new ProcReader('/proc');
    const began = process.hrtime.bigint();
    const planned = budget.plan(reader, OPTIONS);
    // Started after the plan's stat pass: neither is in it.
    const big = await startHog(256);
    const small = await startHog(0);
    expect(planned.reads.decisions.some((d) => d.pid === big || d.pid === small)).toBe(false);

    const scan = scanProcesses(reader, { ...OPTIONS, pids: [big, small], plan: planned.scan });
    const tookMs = Number(process.hrtime.bigint() - began) / 1e6;
    const bigSample = scan.samples.find((s) => s.pid === big)!;
    const smallSample = scan.samples.find((s) => s.pid === small)!;
    expect(bigSample.basis).toBe('status');
    expect(bigSample.estimated).toBe(true);
    expect(bigSample.readMs).toBeUndefined();
    const kernel = readRollup(big).Private_Dirty;
    expect(kernel).toBeGreaterThanOrEqual(256 * MIB);
    expect(Math.abs(bigSample.counters.privateDirty - kernel) / kernel).toBeLessThan(0.02);
    expect(smallSample.basis).toBe('exact');
    expect(smallSample.readMs).toBeGreaterThanOrEqual(0);
    // Stamped when read, on the plan's clock: after the plan, well before the record's time.
    expect(smallSample.readAtMs).toBeGreaterThanOrEqual(CLOCK[0]);
    expect(smallSample.readAtMs).toBeLessThanOrEqual(CLOCK[0] + tookMs);

    const report = budget.record(scan.samples, planned);
    const plannedTally = { newOverBound: 0, small: 0 };
    for (const d of planned.reads.decisions) {
      if (!d.read && d.reason === 'newOverBound') plannedTally.newOverBound++;
      if (d.read && d.reason === 'small') plannedTally.small++;
    }
    // The scan's tally counts the two as the plan would have: one new over the bound, one small read.
    expect(report.scan.skipped.newOverBound).toBe(plannedTally.newOverBound + 1);
    expect(report.scan.made.small).toBe(plannedTally.small + 1);

    const state = parseBudgetState(budget.stateText());
    if (!state.ok) throw new Error(state.reason);
    const bigRecord = state.state.processes.get(processKey(big, bigSample.startTime))!;
    expect(bigRecord.firstSeenAtMs).toBe(CLOCK[1]);
    expect(bigRecord.exact).toBeUndefined();
    const smallRecord = state.state.processes.get(processKey(small, smallSample.startTime))!;
    expect(smallRecord.exact?.atMs).toBe(smallSample.readAtMs);
    expect(smallRecord.exact!.atMs).toBeLessThan(CLOCK[1]);

    // A refresh period after it was first seen, the big one is due: its clock ran from that scan (had it been
    // forgotten, it would be new again now, and from status).
    const next = budget.plan(reader, { ...OPTIONS, pids: [big, small] });
    const decisions = new Map(next.reads.decisions.map((d) => [d.pid, `${d.read ? 'read' : 'skip'} ${d.reason}`]));
    expect(decisions.get(big)).toBe('read refresh');
    expect(decisions.get(small)).toBe('read small');
    const second = scanProcesses(reader, { ...OPTIONS, pids: [big, small], plan: next.scan });
    budget.record(second.samples, next);
    const read = second.samples.find((s) => s.pid === big)!;
    expect(read.basis).toBe('exact');
    expect(read.counters.privateDirty).toBe(readRollup(big).Private_Dirty);
  }, 120_000);
});
