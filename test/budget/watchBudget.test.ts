/**
 * Live: `footprint watch` of the whole machine under its read budget (docs/budget.md,
 * issue 24), as serve's test does it (serveBudget.test.ts): a real process of exactly
 * known memory (test/fixtures/growingHog.c, 1 GiB touched) over a bound set low
 * (--max-read-ms 2). In JSON lines its group starts from status, with no age; held
 * still, it is read exactly once the bound spaces its first read, and from then its
 * age is given, growing line after line; then it is carried forward within 2% of the
 * kernel's Private_Dirty. The text marks it as from status.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { stopChildren } from '../helpers/liveProcesses.js';
import { readRollup } from '../helpers/procRead.js';
import { assertBuilt, FOOTPRINT_BIN, runCli } from '../helpers/runFootprint.js';
import { until } from '../helpers/until.js';
import { startNamedHog, type NamedHog } from './namedGrowingHog.js';

const MIB = 2 ** 20;

interface Group {
  name: string;
  writable: number;
  carriedShare?: number;
  oldestExactAgeMs?: number;
  unreadForMs?: number;
}

describe('watch at its read budget, with a process over the bound', () => {
  const started: ChildProcess[] = [];
  let dir: string;
  let program: string;
  let pid = 0;
  let hog: NamedHog;

  beforeAll(async () => {
    assertBuilt();
    hog = await startNamedHog('wbudget', 1024, started);
    ({ dir, program, pid } = hog);
  }, 240_000);

  afterAll(async () => {
    await stopChildren(started);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('marks it in the text as from status, with no exact read yet', () => {
    const result = runCli(['watch', '--count', '2', '--interval', '100ms', '--max-read-ms', '2']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`${program} (all: from status, no exact read yet)`);
    expect(result.stdout).toMatch(/^Carried forward from \/proc\/PID\/status since their last exact read \(--max-read-ms, --refresh\): /m);
  });

  it('is refused beside a PID: a target is read exactly at every sample', () => {
    const result = runCli(['watch', String(pid), '--max-read-ms', '2']);
    expect(result.stderr).toBe('footprint: watch: --max-read-ms is for the whole machine (watch alone); a PID or --program NAME is one target already\n');
    expect(result.status).toBe(2);
  });

  it('in JSON lines: from status, read first when the bound spaces it, then its age growing, carried within 2%', async () => {
    const watch = spawn(process.execPath, [FOOTPRINT_BIN, 'watch', '--json', '--interval', '200ms', '--max-read-ms', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(watch);
    let out = '';
    let err = '';
    watch.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    watch.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    const lines = () => out.split('\n').slice(0, -1);
    const hogIn = (line: string): Group | undefined => (JSON.parse(line) as { groups: Group[] }).groups.find((group) => group.name === program);
    // The first line: new and over the bound, from status.
    const first = hogIn(await until('a first line', () => lines()[0], 120_000));
    expect(first?.carriedShare).toBe(1);
    expect(first?.oldestExactAgeMs).toBeUndefined();
    expect(first?.unreadForMs).toBeGreaterThanOrEqual(0);

    // Held still: its first read comes by the spacing alone (scans since first seen × 2 ms reach its read).
    const readAt = await until('its first exact read', () => {
      const index = lines().findIndex((line) => hogIn(line)?.oldestExactAgeMs !== undefined);
      return index < 0 ? undefined : index;
    }, 300_000);
    expect(readAt).toBeGreaterThan(0);
    expect(hogIn(lines()[readAt])).toMatchObject({ carriedShare: 0, oldestExactAgeMs: 0 });
    // Then carried, its age growing line after line.
    const next = [hogIn(await until('a line after the read', () => lines()[readAt + 1], 120_000))!, hogIn(await until('and one more', () => lines()[readAt + 2], 120_000))!];
    expect(next.map((group) => group.carriedShare)).toEqual([1, 1]);
    expect(next[0].oldestExactAgeMs).toBeGreaterThan(0);
    expect(next[1].oldestExactAgeMs).toBeGreaterThan(next[0].oldestExactAgeMs!);

    // 3.1% more: within the share, carried, not read again.
    await hog.grow(32, 1056);
    // The line after the next: the first whose scan surely began after the growth (watch scans an interval after its last line).
    const after = lines().length + 1;
    const carried = hogIn(await until('a line after the growth', () => lines()[after], 120_000))!;
    const kernel = readRollup(pid).Private_Dirty;
    expect(kernel).toBeGreaterThanOrEqual(1056 * MIB);
    expect(Math.abs(carried.writable - kernel) / kernel).toBeLessThan(0.02);
    expect(carried.carriedShare).toBe(1);
    expect(carried.oldestExactAgeMs).toBeGreaterThan(next[1].oldestExactAgeMs!);
    expect(err).toBe('');
  }, 600_000);
});
