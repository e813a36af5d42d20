/**
 * Live: `footprint export --budget-state FILE` (docs/budget.md): the read budget
 * from cron, its state kept from run to run in FILE (atomically, mode 0600). On a
 * real process of exactly known memory (test/fixtures/growingHog.c, 1 GiB) over a
 * bound set low (--max-read-ms 2): the first run starts it from status, a run
 * whose refresh is due reads it exactly, a later one carries it forward within 2%
 * of the kernel's Private_Dirty with its age; the budget's *_total families count
 * across the runs (their totals kept in the state file). A state file that cannot
 * be used is said in one line and the run starts afresh, its counters from 0;
 * without one export reads exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopChildren } from '../helpers/liveProcesses.js';
import { readRollup } from '../helpers/procRead.js';
import { assertBuilt, runCli } from '../helpers/runFootprint.js';
import { seriesValue, startNamedHog, type NamedHog } from './namedGrowingHog.js';

const PROMTOOL = '/usr/bin/promtool';
const MIB = 2 ** 20;

describe('export with --budget-state', () => {
  const started: ChildProcess[] = [];
  let dir: string;
  let program: string;
  let state: string;
  let pid = 0;
  let hog: NamedHog;
  const label = () => `{program="${program}"}`;

  beforeAll(async () => {
    assertBuilt();
    hog = await startNamedHog('ebudget', 1024, started);
    ({ dir, program, pid } = hog);
    state = join(dir, 'budget.json');
  }, 240_000);

  afterAll(async () => {
    await stopChildren(started);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('starts it from status, reads it when its refresh is due, then carries it forward within 2% with its age', () => {
    const first = runCli(['export', '--budget-state', state, '--max-read-ms', '2']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(seriesValue(first.stdout, 'footprint_carried_ratio', label())).toBe(1);
    // Not read yet: its age is the time since it was first seen, in this very run's plan: a fraction of its scan.
    const unread = seriesValue(first.stdout, 'footprint_exact_read_age_seconds', label())!;
    expect(unread).toBeGreaterThanOrEqual(0);
    expect(unread).toBeLessThan(60);
    expect(statSync(state).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(state, 'utf8')).schema).toBe('footprint.budget/1');

    // A refresh of 1 ms is due at once: read exactly.
    const due = runCli(['export', '--budget-state', state, '--max-read-ms', '2', '--refresh', '1ms']);
    expect(due.status).toBe(0);
    expect(seriesValue(due.stdout, 'footprint_carried_ratio', label())).toBe(0);
    expect(seriesValue(due.stdout, 'footprint_exact_read_age_seconds', label())).toBe(0);
    expect(seriesValue(due.stdout, 'footprint_exact_reads_total', '{reason="refresh"}')).toBeGreaterThanOrEqual(1);

    const carried = runCli(['export', '--budget-state', state, '--max-read-ms', '2', '--refresh', '1h']);
    expect(carried.stderr).toBe('');
    expect(carried.status).toBe(0);
    const kernel = readRollup(pid).Private_Dirty;
    expect(kernel).toBeGreaterThanOrEqual(1024 * MIB);
    expect(Math.abs(seriesValue(carried.stdout, 'footprint_writable_bytes', label())! - kernel) / kernel).toBeLessThan(0.02);
    expect(seriesValue(carried.stdout, 'footprint_carried_ratio', label())).toBe(1);
    expect(seriesValue(carried.stdout, 'footprint_exact_read_age_seconds', label())).toBeGreaterThan(0);
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: carried.stdout, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');

    // Counters across the runs: one scan each, the reads and skips of all three added up, never less than the run before.
    const runs = [first.stdout, due.stdout, carried.stdout];
    expect(runs.map((text) => seriesValue(text, 'footprint_scans_total', ''))).toEqual([1, 2, 3]);
    const skippedNew = runs.map((text) => seriesValue(text, 'footprint_exact_reads_skipped_total', '{reason="new_over_bound"}')!);
    expect(skippedNew[0]).toBeGreaterThanOrEqual(1);
    expect(skippedNew[1]).toBeGreaterThanOrEqual(skippedNew[0]);
    const refreshed = runs.map((text) => seriesValue(text, 'footprint_exact_reads_total', '{reason="refresh"}')!);
    expect(refreshed[2]).toBe(refreshed[1]);
    const fresh = runs.map((text) => seriesValue(text, 'footprint_exact_reads_skipped_total', '{reason="fresh"}')!);
    expect(fresh[2]).toBeGreaterThan(fresh[1]);
    const scanSeconds = runs.map((text) => seriesValue(text, 'footprint_scan_seconds_total', '')!);
    expect(scanSeconds[1]).toBeGreaterThan(scanSeconds[0]);
    expect(scanSeconds[2]).toBeGreaterThan(scanSeconds[1]);
    // Reads are timed from 64 MiB resident up (smaller ones are read ahead on libuv's threads, untimed):
    // the hog's refresh adds its time; the third run reads nothing that big.
    const readSeconds = runs.map((text) => seriesValue(text, 'footprint_exact_read_seconds_total', '')!);
    expect(readSeconds[1]).toBeGreaterThan(readSeconds[0]);
    expect(readSeconds[2]).toBeGreaterThanOrEqual(readSeconds[1]);
  });

  it('says in one line why a state cannot be used, and starts afresh', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"schema":"footprint.budget/1","scan":-1}');
    const result = runCli(['export', '--budget-state', broken, '--max-read-ms', '2']);
    expect(result.stderr).toBe(`footprint: --budget-state ${broken}: machine is not an object; starting afresh (big processes from status until their first exact read)\n`);
    expect(result.status).toBe(0);
    expect(seriesValue(result.stdout, 'footprint_carried_ratio', label())).toBe(1);
    expect(seriesValue(result.stdout, 'footprint_scans_total', '')).toBe(1);
    // Written over with a good state.
    expect(JSON.parse(readFileSync(broken, 'utf8')).processes.length).toBeGreaterThan(0);
  });

  it('reads exactly without a state file, and refuses the budget\'s knobs there', () => {
    const exact = runCli(['export']);
    expect(exact.status).toBe(0);
    expect(exact.stdout).not.toContain('footprint_carried_ratio');
    const refused = runCli(['export', '--max-read-ms', '2']);
    expect(refused.stderr).toBe('footprint: export: --max-read-ms is for --budget-state FILE (without one, export reads every process exactly)\n');
    expect(refused.status).toBe(2);
  });
});
