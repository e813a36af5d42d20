/**
 * `footprint shmem` and a process of 40,000 mappings (test/fixtures/manymaps.c):
 * its maps (about 2 MB) is over ProcReader's cap for maps, so its smaps is read
 * instead, a piece at a time: the process is read, not counted among those
 * whose holdings are not attributable.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fixtureBinary, stopChildren } from '../helpers/liveProcesses.js';
import { assertBuilt, footprint } from '../helpers/runFootprint.js';
import { until } from '../helpers/until.js';

const MAPPINGS = 40_000;

function unreadable(): number {
  const run = footprint(['shmem', '--json', '-n', '1']);
  if (run.status !== 0) throw new Error(`footprint shmem exited ${run.status}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { totals: { unreadable: number } }).totals.unreadable;
}

describe('shmem beside a process of 40,000 mappings', () => {
  const children: ChildProcess[] = [];
  let before = 0;

  beforeAll(async () => {
    assertBuilt();
    before = unreadable();
    const child = spawn(fixtureBinary('manymaps'), [String(MAPPINGS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.once('exit', (code) => reject(new Error(`manymaps exited with ${code}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/^ready \d+ mappings=\d+\n/.test(out)) resolve();
      });
    });
  }, 120_000);

  afterAll(async () => {
    await stopChildren(children, 'SIGKILL');
  });

  it('is read: no more processes not read than before it started', async () => {
    // The case in hand: maps over the 1 MiB ProcReader reads of it.
    expect(readFileSync(`/proc/${children[0].pid}/maps`).length).toBeGreaterThan(1024 * 1024);
    // Other sessions' processes come and go: ask until the count is what it was (at once on a quiet machine).
    await until('shmem reads the process of 40,000 mappings', () => (unreadable() <= before ? true : undefined), 60_000);
  }, 90_000);
});
