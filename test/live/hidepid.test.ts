/**
 * A /proc that hides processes (issue 12): a second procfs mounted with
 * hidepid=2 on a temporary directory, read with --proc-root as nobody (who sees
 * only its own processes there) and as root (who may ptrace all, so sees all).
 * footprint says how many tasks it cannot see and never counts itself. The
 * mount is removed in afterAll, also when a test fails.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, footprint, footprintAsNobody, homeForNobody, removeNobodyCopy } from '../helpers/runFootprint.js';
import { AS_NOBODY } from '../helpers/liveProcesses.js';
import { tempDir } from '../helpers/tempPaths.js';

const NOBODY = 65534;
let mountPoint: string;
let mounted = false;

beforeAll(() => {
  assertBuilt();
  mountPoint = tempDir('footprint-hidepid-');
  chmodSync(mountPoint, 0o755);
  const mount = spawnSync('mount', ['-t', 'proc', '-o', 'hidepid=2', 'proc', mountPoint], { encoding: 'utf8' });
  if (mount.status !== 0) throw new Error(`mount failed: ${mount.stderr}`);
  mounted = true;
});

afterAll(() => {
  try {
    if (mounted) {
      const umount = spawnSync('umount', [mountPoint], { encoding: 'utf8' });
      if (umount.status !== 0) throw new Error(`umount failed: ${umount.stderr}`);
    }
  } finally {
    rmdirSync(mountPoint);
    removeNobodyCopy();
  }
  expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(mountPoint);
});

/** Threads (stat field 20) of the live processes not owned by nobody: what hidepid=2 hides from nobody. */
function threadsNotNobodys(): number {
  let threads = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) === NOBODY) continue;
      threads += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1]);
    } catch {
      // exited meanwhile
    }
  }
  return threads;
}

/** Processes start and end while both sides count: a tenth of the count, and 20 tasks at least. */
function expectNear(actual: number, around: number[]): void {
  const slack = Math.max(20, Math.max(...around) / 10);
  expect(actual).toBeGreaterThanOrEqual(Math.min(...around) - slack);
  expect(actual).toBeLessThanOrEqual(Math.max(...around) + slack);
}

describe('--proc-root on a procfs mounted hidepid=2', () => {
  it('as nobody, the JSON says what hides them and how many tasks it cannot see', () => {
    const before = threadsNotNobodys();
    const result = footprintAsNobody(['--proc-root', mountPoint, '--json']);
    const after = threadsNotNobodys();
    expect(result.status).toBe(0);
    const { scan } = JSON.parse(result.stdout);
    // Linux 5.8+ prints hidepid=2 by its name.
    expect(scan.hidden.by).toBe('hidepid=invisible');
    expect(Number.isSafeInteger(scan.hidden.tasks)).toBe(true);
    expectNear(scan.hidden.tasks, [before, after]);
    // footprint itself is listed there, and left out: seen = the outcomes + 1.
    expect(scan.seen).toBe(scan.measured + scan.kernelThreads + scan.zombies + scan.denied + scan.gone + scan.malformed + 1);
  });

  it('as nobody, the Left out line says it, and footprint leaves itself out', () => {
    const result = footprintAsNobody(['--proc-root', mountPoint]);
    expect(result.status).toBe(0);
    const footer = result.stdout.split('\n').find((line) => line.startsWith('Left out'));
    expect(footer).toMatch(/footprint itself \(PID \d+\)\. /);
    const hidden = /up to (\d+) processes footprint cannot see \(this \/proc is mounted hidepid=invisible: (\d+) tasks the kernel counts, threads included, beyond the threads of the processes listed\)/.exec(footer ?? '');
    expect(hidden).not.toBeNull();
    expect(hidden?.[1]).toBe(hidden?.[2]);
    expect(Number(hidden?.[1])).toBeGreaterThan(0);
  });

  it('as root (CAP_SYS_PTRACE: hidepid hides nothing), nothing is said hidden, and footprint leaves itself out', () => {
    const result = footprint(['--proc-root', mountPoint, '--json']);
    expect(result.status).toBe(0);
    const { scan } = JSON.parse(result.stdout);
    expect(scan.hidden).toBeUndefined();
    expect(scan.seen).toBe(scan.measured + scan.kernelThreads + scan.zombies + scan.denied + scan.gone + scan.malformed + 1);
  });
});

describe('the live /proc itself mounted hidepid=2', () => {
  /*
   * In a mount namespace of its own (unshare -m, private propagation), a new
   * procfs over /proc: footprint reads the live /proc as usual, and the
   * machine's /proc is untouched. The mount ends with the namespace's last
   * process, when the command returns.
   */
  it('as nobody, without --proc-root: the same count of what it cannot see', () => {
    const before = threadsNotNobodys();
    const script = `mount -t proc -o hidepid=2 proc /proc && exec ${AS_NOBODY.join(' ')} ${process.execPath} ${join(homeForNobody(), 'bin', 'footprint.js')} --json`;
    const result = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8', timeout: 30_000, cwd: '/' });
    const after = threadsNotNobodys();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { scan } = JSON.parse(result.stdout);
    expect(scan.hidden.by).toBe('hidepid=invisible');
    expectNear(scan.hidden.tasks, [before, after]);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toMatch(/ \/proc .*hidepid/);
  });
});

describe('the live /proc, which hides nothing here', () => {
  it('as nobody: no hidden field', () => {
    const result = footprintAsNobody(['--json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).scan.hidden).toBeUndefined();
  });
});
