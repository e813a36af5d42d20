/**
 * Live: `footprint serve` under its read budget (docs/budget.md, issue 24), against
 * a real process of exactly known memory (test/fixtures/growingHog.c, 1 GiB touched
 * in 4 KiB pages) over a bound set low (--max-read-ms 2) so that a modest process
 * is a big one. It starts from status (new and over the bound), with no age served;
 * held still, it gets its first exact read once the scans since it was first seen,
 * times the bound, reach its expected read: from then its group's age is served,
 * and grows scan after scan until its next read; grown by less than the change
 * share, it is carried forward, its figure within 2% of the kernel's Private_Dirty
 * read here from its smaps_rollup. promtool lints it all.
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

  it('starts it from status, reads it first when the bound spaces it, then serves its age and carries it forward within 2%', async () => {
    // New and over the bound: from status, no exact read, all of it carried; its age the time since first seen.
    const first = await scrape();
    expect(seriesValue(first, 'footprint_carried_ratio', label())).toBe(1);
    const unread = seriesValue(first, 'footprint_exact_read_age_seconds', label())!;
    expect(unread).toBeGreaterThanOrEqual(0);
    expect(seriesValue(first, 'footprint_exact_reads_skipped_total', '{reason="new_over_bound"}')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(first, 'footprint_scan_processes', '{outcome="estimated"}')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(first, 'footprint_estimated_processes', label())).toBe(1);

    // Held still: scrape after scrape (each one a scan the spacing counts) until its first read; a deadline, never a fixed wait.
    const deadline = Date.now() + 300_000;
    let scrapes = 1;
    let body = await scrape();
    let unreadBefore = unread;
    while (seriesValue(body, 'footprint_carried_ratio', label()) === 1) {
      if (Date.now() > deadline) throw new Error(`not read exactly within 300 s:\n${body.split('\n').filter((line) => line.includes('exact_read')).join('\n')}`);
      // Unread: the age served grows from first seen, scan after scan.
      const age = seriesValue(body, 'footprint_exact_read_age_seconds', label())!;
      expect(age).toBeGreaterThan(unreadBefore);
      unreadBefore = age;
      body = await scrape();
      scrapes++;
    }
    // Read at this scan: nothing of it carried, its age 0; its 1 GiB, expected at well over 2 ms, needed scans to space it.
    expect(scrapes).toBeGreaterThan(1);
    expect(seriesValue(body, 'footprint_carried_ratio', label())).toBe(0);
    expect(seriesValue(body, 'footprint_exact_read_age_seconds', label())).toBe(0);
    expect(seriesValue(body, 'footprint_exact_reads_total', '{reason="first"}')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(body, 'footprint_exact_read_longest_seconds', '')).toBeGreaterThan(0);

    // Not read again (fresh): its age grows from scan to scan.
    const ages: number[] = [];
    for (let n = 0; n < 2; n++) {
      const later = await scrape();
      expect(seriesValue(later, 'footprint_carried_ratio', label())).toBe(1);
      ages.push(seriesValue(later, 'footprint_exact_read_age_seconds', label())!);
    }
    expect(ages[0]).toBeGreaterThan(0);
    expect(ages[1]).toBeGreaterThan(ages[0]);

    // 3.1% more: within the share, so carried forward, not read again (its age still growing).
    await hog.grow(32, 1056);
    const carried = await scrape();
    const kernel = readRollup(pid).Private_Dirty;
    const writable = seriesValue(carried, 'footprint_writable_bytes', label())!;
    expect(kernel).toBeGreaterThanOrEqual(1056 * MIB);
    expect(Math.abs(writable - kernel) / kernel).toBeLessThan(0.02);
    expect(seriesValue(carried, 'footprint_carried_ratio', label())).toBe(1);
    expect(seriesValue(carried, 'footprint_exact_read_age_seconds', label())).toBeGreaterThan(ages[1]);
    expect(seriesValue(carried, 'footprint_exact_reads_skipped_total', '{reason="fresh"}')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(carried, 'footprint_scans_total', '')).toBeGreaterThanOrEqual(3);

    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: carried, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  }, 600_000);
});
