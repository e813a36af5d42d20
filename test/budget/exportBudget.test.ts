/**
 * Live: `footprint export --budget-state FILE` (docs/budget.md): the read budget
 * from cron, its state kept from run to run in FILE (atomically, mode 0600). On a
 * real process of exactly known memory (test/fixtures/growingHog.c, 1 GiB) over a
 * bound set low (--max-read-ms 2): the first run starts it from status, a run
 * whose refresh is due reads it exactly, a later one carries it forward within 2%
 * of the kernel's Private_Dirty with its age. A state file that cannot be used is
 * said in one line and the run starts afresh; without one export reads exactly.
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
    expect(seriesValue(first.stdout, 'footprint_exact_read_age_seconds', label())).toBeUndefined();
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
  });

  it('says in one line why a state cannot be used, and starts afresh', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"schema":"footprint.budget/1","scan":-1}');
    const result = runCli(['export', '--budget-state', broken, '--max-read-ms', '2']);
    expect(result.stderr).toBe(`footprint: --budget-state ${broken}: machine is not an object; starting afresh (big processes from status until their first exact read)\n`);
    expect(result.status).toBe(0);
    expect(seriesValue(result.stdout, 'footprint_carried_ratio', label())).toBe(1);
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
