/**
 * A command line of a megabyte in the text report (issue 20): names are cut
 * before they are measured or escaped, and the table is drawn in one pass, so
 * the report costs what the terminal shows, and a pipe gets the line whole.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { timedFootprint } from '../helpers/terminal.js';

// Nine arguments of 120,000 characters (one argument may hold at most 128 KiB): 1,080,000 bytes.
const ARGUMENT = 'a'.repeat(119_990) + '-END-OF-IT';
let child: ChildProcess;

beforeAll(async () => {
  child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)', '--', ...Array.from({ length: 9 }, () => ARGUMENT)], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
});

afterAll(() => {
  if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
});

const timed = timedFootprint;

describe('a command line of a megabyte', () => {
  test('--group cmdline in a pipe: the whole line, in at most 1 s of CPU', () => {
    const run = timed(['--group', 'cmdline', '-p', String(child.pid)]);
    expect(run.status).toBe(0);
    const row = run.stdout.split('\n').find((line) => line.endsWith('-END-OF-IT (1)'))!;
    expect(row.split(ARGUMENT).length - 1).toBe(9);
    // CPU, not wall time: on a busy machine the wall clock measures the machine.
    expect(run.cpuSeconds).toBeLessThanOrEqual(1);
    expect(run.maxRssKiB).toBeLessThanOrEqual(150 * 1024);
  });

  test('the default report (by program), and the whole machine grouped by command line, in at most 1 s of CPU each', () => {
    for (const args of [['-p', String(child.pid)], ['--group', 'cmdline']]) {
      const run = timed(args);
      expect(run.status).toBe(0);
      expect(run.cpuSeconds).toBeLessThanOrEqual(1);
    }
  });
});
