/**
 * A read budget's scan as root reads ahead (scanWithStrategy: 'read-ahead'): the
 * smaps_rollup of each process under the plan's in-line size is read on libuv's
 * threads, exact and kept but untimed; a process from that size up is read by
 * the scan itself, in line, and timed, since the budget learns the walk's rate
 * from those reads alone (budget/readCost.ts). Real processes of known size.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProcReader } from '../../src/kernel/procReader.js';
import { chooseStrategy, scanWithStrategy } from '../../src/collect/scanStrategy.js';
import { readOutcomes } from '../../src/budget/budgetReport.js';
import { emptyBudgetState, processKey, recordReads } from '../../src/budget/budgetState.js';
import { INITIAL_READ_COST } from '../../src/budget/readCost.js';
import type { ScanPlan } from '../../src/scan/scanPlan.js';
import type { ScanOptions } from '../../src/scan/scanProcesses.js';
import { readPageSize } from '../../src/scan/pageSize.js';
import { startMemhog, stopAll, type Memhog } from '../helpers/liveProcesses.js';

const MIB = 2 ** 20;

describe('a planned scan reads small processes ahead, untimed, and big ones in line, timed', () => {
  let small: Memhog;
  let big: Memhog;
  beforeAll(async () => {
    [small, big] = await Promise.all([startMemhog({ privateMiB: 4 }), startMemhog({ privateMiB: 96 })]);
  });
  afterAll(stopAll);

  it('reads both exactly, times only the one over the in-line size, and the budget learns from that one alone', async () => {
    expect(process.getuid?.()).toBe(0); // the suite runs as root: a read-ahead scan is root's
    const reader = new ProcReader('/proc');
    const page = readPageSize(reader, process.pid)!;
    const plan: ScanPlan = {
      nowMs: 1_000_000, nowNs: process.hrtime.bigint(), skip: new Map(), read: new Map(),
      newOverRssPages: Infinity, inLineFromRssPages: (64 * MIB) / page,
    };
    const options: ScanOptions = { estimate: false, cgroups: false, pids: undefined, plan };
    expect(chooseStrategy(reader, options)).toBe('read-ahead');
    const scan = await scanWithStrategy(reader, options);
    const smallSample = scan.samples.find((sample) => sample.pid === small.pid)!;
    const bigSample = scan.samples.find((sample) => sample.pid === big.pid)!;
    expect(smallSample).toMatchObject({ basis: 'exact', exactAgeMs: 0 });
    expect(smallSample.readMs).toBeUndefined();
    expect(smallSample.counters.privateDirty).toBeGreaterThanOrEqual(4 * MIB);
    expect(bigSample).toMatchObject({ basis: 'exact', exactAgeMs: 0 });
    expect(bigSample.readMs).toBeGreaterThan(0);
    expect(bigSample.counters.privateDirty).toBeGreaterThanOrEqual(96 * MIB);
    // Each read is stamped on the plan's clock, when the scan took it.
    expect(smallSample.readAtMs).toBeGreaterThanOrEqual(plan.nowMs);

    // Both become their processes' last exact figures; only the timed one teaches the cost.
    const outcomes = readOutcomes([smallSample, bigSample], plan.nowMs);
    expect(outcomes.map((outcome) => [outcome.pid, outcome.ms === undefined])).toEqual([[small.pid, true], [big.pid, false]]);
    let state = emptyBudgetState();
    const records = [smallSample, bigSample].map((sample) => [processKey(sample.pid, sample.startTime), {
      pid: sample.pid, startTime: sample.startTime, name: sample.statusName, firstSeenAtMs: 0, firstSeenScan: 1, firstResident: sample.counters.rss,
    }] as const);
    state = { ...state, processes: new Map(records) };
    const smallOnly = recordReads(state, outcomes.slice(0, 1), plan.nowMs);
    expect(smallOnly.machine).toEqual(INITIAL_READ_COST);
    expect(smallOnly.processes.get(processKey(small.pid, smallSample.startTime))!.exact!.counters.privateDirty).toBe(smallSample.counters.privateDirty);
    const both = recordReads(state, outcomes, plan.nowMs);
    expect(both.machine.walk).not.toEqual(INITIAL_READ_COST.walk);
    expect(both.processes.get(processKey(big.pid, bigSample.startTime))!.walk).toBeDefined();
  });

  it('--timing (or any scan that times every read) reads in line, on the main thread', () => {
    const reader = new ProcReader('/proc');
    expect(chooseStrategy(reader, { estimate: false, cgroups: false, timing: true })).toBe('one-thread');
  });
});
