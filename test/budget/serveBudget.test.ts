/**
 * Live: `footprint serve` under its read budget (docs/budget.md, issue 24), against
 * a real process of exactly known memory (test/fixtures/growingHog.c, 1 GiB touched
 * in 4 KiB pages) over a bound set low (--max-read-ms 2) so that a modest process
 * is a big one. It starts from status (new and over the bound); once it grows by
 * more than the change share it is read exactly, once; then, growing less, it is
 * carried forward, its figure within 2% of the kernel's Private_Dirty read here
 * from its smaps_rollup, and the age of its exact read served. promtool lints it all.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { stopChildren } from '../helpers/liveProcesses.js';
import { readRollup } from '../helpers/procRead.js';
import { assertBuilt } from '../helpers/runFootprint.js';
import { startServe, type StartedServe } from '../helpers/serveProcess.js';
import { seriesValue, startNamedHog, type NamedHog } from './namedGrowingHog.js';

const PROMTOOL = '/usr/bin/promtool';
const MIB = 2 ** 20;

describe('serve at its read budget, with a process over the bound', () => {
  const started: ChildProcess[] = [];
  let dir: string;
  let program: string;
  let pid = 0;
  let hog: NamedHog;
  let serve: StartedServe;
  const scrape = async () => (await fetch(`${serve.url}/metrics`)).text();
  const label = () => `{program="${program}"}`;

  beforeAll(async () => {
    assertBuilt();
    hog = await startNamedHog('budget', 1024, started);
    ({ dir, program, pid } = hog);
    serve = await startServe(started, ['--max-read-ms', '2', '--min-interval', '0']);
  }, 240_000);

  afterAll(async () => {
    await stopChildren(started);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('starts it from status, reads it once when it moved, then carries it forward within 2% with its age', async () => {
    // New and over the bound: from status, no exact read, so no age series and all of it carried.
    const first = await scrape();
    expect(seriesValue(first, 'footprint_carried_ratio', label())).toBe(1);
    expect(seriesValue(first, 'footprint_exact_read_age_seconds', label())).toBeUndefined();
    expect(seriesValue(first, 'footprint_exact_reads_skipped_total', '{reason="new_over_bound"}')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(first, 'footprint_scan_processes', '{outcome="estimated"}')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(first, 'footprint_estimated_processes', label())).toBe(1);

    // 12.5% more: over the change share, so it is read as soon as the bound allows (the scans since × 2 ms reach its cost).
    await hog.grow(128, 1152);
    // Scrape after scrape (each one a scan the spacing counts) until it is read; a deadline, never a fixed wait.
    const deadline = Date.now() + 180_000;
    let body = await scrape();
    while (seriesValue(body, 'footprint_exact_read_age_seconds', label()) === undefined) {
      if (Date.now() > deadline) throw new Error(`not read exactly within 180 s:\n${body.split('\n').filter((line) => line.includes('exact_read')).join('\n')}`);
      body = await scrape();
    }
    expect(seriesValue(body, 'footprint_exact_reads_total', '{reason="moved"}')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(body, 'footprint_exact_read_longest_seconds', '')).toBeGreaterThan(0);
    const readsAfter = seriesValue(body, 'footprint_exact_reads_total', '{reason="moved"}')!;

    // 2.8% more: within the share, so carried forward, not read again.
    await hog.grow(32, 1184);
    const carried = await scrape();
    const kernel = readRollup(pid).Private_Dirty;
    const writable = seriesValue(carried, 'footprint_writable_bytes', label())!;
    expect(kernel).toBeGreaterThanOrEqual(1184 * MIB);
    expect(Math.abs(writable - kernel) / kernel).toBeLessThan(0.02);
    expect(seriesValue(carried, 'footprint_carried_ratio', label())).toBe(1);
    expect(seriesValue(carried, 'footprint_exact_read_age_seconds', label())).toBeGreaterThan(0);
    expect(seriesValue(carried, 'footprint_exact_reads_total', '{reason="moved"}')).toBe(readsAfter);
    expect(seriesValue(carried, 'footprint_exact_reads_skipped_total', '{reason="fresh"}')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(carried, 'footprint_scans_total', '')).toBeGreaterThanOrEqual(3);

    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: carried, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  }, 600_000);
});
