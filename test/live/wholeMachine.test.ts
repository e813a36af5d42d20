/**
 * Live, as root: every PID on the machine, with processes exiting mid-scan,
 * a zombie and a kernel thread. Only well-formed figures or a counted skip.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { memhogBinary, startHelper, startMemhog, stopAll, type Memhog } from '../helpers/liveProcesses.js';
import { freePid, readState } from '../helpers/procRead.js';
import { expectWellFormed } from '../helpers/reportShape.js';
import { assertBuilt, footprint, reportJson } from '../helpers/runFootprint.js';

let withZombie: Memhog;

beforeAll(async () => {
  assertBuilt();
  memhogBinary();
  withZombie = await startMemhog({ privateMiB: 1, zombie: true });
}, 30_000);

afterAll(async () => {
  await stopAll();
});

describe('the whole machine, as root', () => {
  test('exits 0 with only well-formed figures, every skip counted, itself left out', () => {
    const result = footprint(['--json']);
    expect(result.stderr).toBe('');
    const report = reportJson(result);
    expectWellFormed(report, true);
    expect(report.source).toBe('smaps_rollup');
    // Root reads (nearly) everything: our own test processes are measured, by PID.
    const listed = new Set(report.groups.flatMap((g) => g.pids));
    expect(listed.has(withZombie.pid)).toBe(true);
    expect(listed.has(process.pid)).toBe(true);
    expect(report.scan.kernelThreads).toBeGreaterThan(0);
    expect(report.scan.zombies).toBeGreaterThanOrEqual(1);
  });

  test('three scans while processes start and exit in a tight loop: never a crash', () => {
    // Forks short-lived processes as fast as it can; stopped by PID in afterAll.
    const churn = startHelper('bash', ['-c', 'while :; do for i in 1 2 3 4 5 6 7 8; do /bin/true & done; wait; done']);
    try {
      const gone: number[] = [];
      for (let round = 0; round < 3; round++) {
        const result = footprint(['--json']);
        expect(result.stderr).toBe('');
        const report = reportJson(result);
        expectWellFormed(report, true);
        gone.push(report.scan.gone);
      }
      // Text output, too, through the same churn.
      const text = footprint([]);
      expect(text.status).toBe(0);
      expect(text.stderr).toBe('');
      expect(text.stdout).toMatch(/footprint itself \(PID \d+\)\. /);
      if (process.env.FOOTPRINT_LIVE_VERBOSE) process.stderr.write(`gone per scan under churn: ${gone.join(', ')}\n`);
    } finally {
      churn.kill('SIGKILL');
    }
  });
});

describe('a zombie', () => {
  test('is counted in scan.zombies, not measured', () => {
    const zombie = withZombie.zombie!;
    expect(readState(zombie)).toBe('Z');
    const report = reportJson(footprint(['--json', '-p', `${withZombie.pid},${zombie}`]));
    expectWellFormed(report, false);
    expect(report.scan).toMatchObject({ seen: 2, measured: 1, zombies: 1, denied: 0, gone: 0, kernelThreads: 0 });
    expect(report.groups.flatMap((g) => g.pids)).toEqual([withZombie.pid]);
  });

  test('show ZOMBIE says so, one line, exit 1', () => {
    const result = footprint(['show', String(withZombie.zombie)]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`footprint: cannot show PID ${withZombie.zombie}: a zombie has no memory left\n`);
  });
});

describe('a kernel thread (PID 2, kthreadd)', () => {
  test('-p 2 measures nothing: exit 1 with one line that says why, as pgrep does', () => {
    const result = footprint(['--json', '-p', '2']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('footprint: no process matched -p 2 (a kernel thread or zombie, which holds no user memory)\n');
  });

  test('show 2: one line, exit 1', () => {
    const result = footprint(['show', '2']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('footprint: cannot show PID 2: a kernel thread has no user memory\n');
  });
});

describe('a PID no process holds', () => {
  test('-p FREE: counted as gone, exit 1 with one line, as pgrep does', () => {
    const pid = freePid();
    const result = footprint(['--json', '-p', String(pid)]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`footprint: no process matched -p ${pid} (no such process: PID ${pid})\n`);
  });

  test('show FREE: "no such process", exit 1', () => {
    const pid = freePid();
    const result = footprint(['show', String(pid)]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`footprint: cannot show PID ${pid}: no such process\n`);
  });
});
