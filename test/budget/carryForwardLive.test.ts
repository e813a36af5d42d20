/**
 * The carried-forward figure against the kernel's, on a real process of exactly
 * known memory (test/fixtures/growingHog.c): 300 MiB touched, read exactly, grown
 * by 100 MiB, carried forward from status alone, then compared with the
 * Private_Dirty of its smaps_rollup read after (issue 24: within 2%). /proc is
 * read here with node:fs directly, as the scan would hand the budget its text.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DEFAULT_BUDGET_KNOBS } from '../../src/budget/budgetKnobs.js';
import { emptyBudgetState, processKey, recordReads } from '../../src/budget/budgetState.js';
import { carryForward } from '../../src/budget/carryForward.js';
import { cheapFromStatm, cheapFromStatus, type CheapFigures } from '../../src/budget/cheapFigures.js';
import { parseStatm } from '../../src/kernel/procfs/statm.js';
import { planReads } from '../../src/budget/planReads.js';
import { parseSmapsRollup } from '../../src/kernel/procfs/smapsRollup.js';
import { parseStatus } from '../../src/kernel/procfs/status.js';
import { figuresFromCounters } from '../../src/reduce/figuresFromCounters.js';
import { fixtureBinary, stopChildren } from '../helpers/liveProcesses.js';
import { readRollup } from '../helpers/procRead.js';
import { until } from '../helpers/until.js';

const MIB = 2 ** 20;

function statusCheap(pid: number): CheapFigures {
  const status = parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!status.ok) throw new Error('status does not parse');
  return cheapFromStatus(status.value)!;
}

/** stat's comm, start time (field 22) and RSS in pages (field 24). */
function statOf(pid: number): { name: string; startTime: number; rssPages: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), startTime: Number(fields[19]), rssPages: Number(fields[21]) };
}

describe('a growing process carried forward from status (test/fixtures/growingHog.c)', () => {
  const children: ChildProcess[] = [];
  let hog: ChildProcess;
  let said = '';
  let pid = 0;

  beforeAll(async () => {
    hog = spawn(fixtureBinary('growingHog'), ['300'], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(hog);
    hog.stdout!.on('data', (chunk: Buffer) => { said += chunk.toString(); });
    pid = await until('growingHog ready', () => {
      const ready = /ready pid=(\d+) mib=300\n/.exec(said);
      return ready === null ? undefined : Number(ready[1]);
    }, 60_000);
    expect(pid).toBe(hog.pid);
  });

  afterAll(async () => {
    hog?.stdin?.end();
    await stopChildren(children);
  });

  it('has the same parts in statm as in status: resident − shared is RssAnon, shared is RssFile + RssShmem', () => {
    const pageSize = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }));
    // Read until two readings of status agree around the statm between them (the hog holds still; a fault may not).
    for (let attempt = 0; attempt < 100; attempt++) {
      const before = statusCheap(pid);
      const statm = parseStatm(readFileSync(`/proc/${pid}/statm`, 'utf8'));
      const after = statusCheap(pid);
      if (!statm.ok) throw new Error('statm does not parse');
      if (JSON.stringify(before) !== JSON.stringify(after)) continue;
      expect(cheapFromStatm(statm.value, pageSize)).toEqual({ anon: before.anon, fileAndShmem: before.fileAndShmem });
      expect(before.anon).toBeGreaterThanOrEqual(300 * MIB);
      return;
    }
    throw new Error('status never held still across a statm read');
  });

  it('is within 2% of the kernel\'s Private_Dirty after it grew by 100 MiB, where the last exact figure is 25% short', async () => {
    const pageSize = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }));
    const key = processKey(pid, statOf(pid).startTime);
    // What the scan has of every process anyway: its stat (start time, comm, RSS in pages).
    const scanned = () => ({ pid, ...statOf(pid), residentBytes: statOf(pid).rssPages * pageSize });

    // Scan 1: read exactly (--exact), smaps_rollup timed, nothing read beside it: the read is its own baseline.
    const planned = planReads([scanned()], emptyBudgetState(), { ...DEFAULT_BUDGET_KNOBS, exact: true }, Date.now());
    expect(planned.plan.decisions[0]).toMatchObject({ read: true, reason: 'exact' });
    const started = performance.now();
    const rollup = parseSmapsRollup(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    const ms = performance.now() - started;
    if (!rollup.ok) throw new Error('smaps_rollup does not parse');
    expect(rollup.value.privateDirty).toBeGreaterThanOrEqual(300 * MIB);
    let state = recordReads(planned.state, [{ pid, startTime: planned.plan.decisions[0].startTime, ms, counters: rollup.value }], Date.now());
    // The baseline taken from the rollup is what status says (the kernel's counters agree with its walk).
    const baseline = state.processes.get(key)!.exact!.cheap;
    expect(Math.abs(baseline.anon - statusCheap(pid).anon)).toBeLessThanOrEqual(64 * 1024);

    hog.stdin!.write('grow 100\n');
    await until('growingHog grown', () => (/grown mib=400\n/.test(said) ? true : undefined), 60_000);

    // Scan 2: with a bound no read is within, and a share the move (a third) is within, the plan carries it.
    const again = planReads([scanned()], state, { ...DEFAULT_BUDGET_KNOBS, maxReadMs: 0.001, changeShare: 0.5 }, Date.now());
    expect(again.plan.decisions[0]).toMatchObject({ read: false, reason: 'fresh', basis: 'carried' });
    state = again.state;
    // Only now, for the process carried, its status: the parts the carry needs.
    const carried = carryForward(state.processes.get(key)!.exact!, statusCheap(pid), Date.now());
    // statm says the same of the anonymous part (it has no swap; there is none here).
    const statm = parseStatm(readFileSync(`/proc/${pid}/statm`, 'utf8'));
    if (!statm.ok) throw new Error('statm does not parse');
    const fromStatm = carryForward(state.processes.get(key)!.exact!, cheapFromStatm(statm.value, pageSize)!, Date.now());

    // The kernel's, read after (and independently of src/'s parsers).
    const kernel = readRollup(pid).Private_Dirty;
    const stale = figuresFromCounters(rollup.value).writable;
    const carriedWritable = figuresFromCounters(carried.counters).writable;
    expect(kernel - stale).toBeGreaterThanOrEqual(100 * MIB);
    expect(Math.abs(carriedWritable - kernel) / kernel).toBeLessThan(0.02);
    expect(Math.abs(figuresFromCounters(fromStatm.counters).writable - kernel) / kernel).toBeLessThan(0.02);
    expect(carried).toMatchObject({ basis: 'carried' });
    expect(carried.carriedAnon).toBeGreaterThanOrEqual(100 * MIB);
    expect(carried.exactAgeMs).toBeGreaterThanOrEqual(0);
  });
});
