/**
 * show of a process with 64,000 mappings (issue 20): test/fixtures/manymaps.c
 * maps 64,000 pages with alternating protections, so the kernel keeps each
 * apart, and writes every read-write one. smaps is 1.6 million lines, 45 MB:
 * show reads it a piece at a time and sums each mapping as it comes, keeping none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { fixtureBinary } from '../helpers/liveProcesses.js';
import { timedFootprint } from '../helpers/terminal.js';

const MAPPINGS = 64_000;
const PAGE = 4096;
let child: ChildProcess;
let pid: number;

beforeAll(async () => {
  child = spawn(fixtureBinary('manymaps'), [String(MAPPINGS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  pid = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`manymaps exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /^ready (\d+) mappings=\d+\n/.exec(out);
      if (ready) resolve(Number(ready[1]));
    });
  });
}, 60_000);

afterAll(() => {
  if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
});

const timed = timedFootprint;

describe('show PID of a process with 64,000 mappings', () => {
  test('every mapping counted, in at most 150 MB and 1.5 s of CPU', () => {
    const run = timed(['show', String(pid), '--json']);
    expect(run.status).toBe(0);
    const show = JSON.parse(run.stdout);
    const rows = show.anonymous.rows as { permissions: string; region: string; mappings: number; privateDirty: number }[];
    // The read-only half: exactly the fixture's 32,000 pages, never written.
    expect(rows.find((row) => row.region === 'anonymous' && row.permissions === 'r--p')).toMatchObject({ mappings: MAPPINGS / 2, privateDirty: 0 });
    // The read-write half, each page written: 32,000 pages of Private_Dirty, beside the few of libc's and the loader's.
    const written = rows.find((row) => row.region === 'anonymous' && row.permissions === 'rw-p')!;
    expect(written.mappings).toBeGreaterThanOrEqual(MAPPINGS / 2);
    expect(written.privateDirty).toBeGreaterThanOrEqual((MAPPINGS / 2) * PAGE);
    expect(written.privateDirty).toBeLessThan((MAPPINGS / 2) * PAGE + 1024 * 1024);
    expect(run.maxRssKiB).toBeLessThanOrEqual(150 * 1024);
    // CPU, not wall time: on a busy machine the wall clock measures the machine.
    expect(run.cpuSeconds).toBeLessThanOrEqual(1.5);
  });

  test('--mappings: the anonymous regions summed into one row, in the same bounds', () => {
    const run = timed(['show', String(pid), '--mappings', '--units', 'KiB']);
    expect(run.status).toBe(0);
    const anonymous = run.stdout.split('\n').find((line) => line.endsWith('  [anonymous]'))!;
    const cells = anonymous.trim().split(/\s+/);
    // Maps: the fixture's 64,000 and libc's and the loader's few.
    expect(Number(cells[4])).toBeGreaterThanOrEqual(MAPPINGS);
    expect(Number(cells[3])).toBeGreaterThanOrEqual((MAPPINGS / 2) * (PAGE / 1024));
    expect(run.maxRssKiB).toBeLessThanOrEqual(150 * 1024);
    expect(run.cpuSeconds).toBeLessThanOrEqual(1.5);
  });
});
