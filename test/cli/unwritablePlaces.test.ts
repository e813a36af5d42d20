import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, MiB, ago, group, report, tempDir, writeReport } from '../helpers/storeFixtures.js';
import { procRoot } from '../helpers/snapshots.js';

const TREE = procRoot('kernel-thread');

/*
 * Where nothing can be written (issue 12): under /proc and /sys, where
 * `capture /proc/nonexist/x` and `save --dir /proc/x` used to spin at 100% CPU
 * in Node's recursive mkdir, and on a read-only mount, which must be named as
 * such (EROFS). The read-only file system is real: a tmpfs mounted `ro` on a
 * temporary directory (this suite runs as root), unmounted afterwards.
 */

/** The CLI with a deadline far beyond its need (it answers at once): a spin fails the test rather than hangs it. */
function runWithin(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 30_000, killSignal: 'SIGKILL',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const KERNEL = (top: string, fs: string) => `it is under ${top} (${fs}, a kernel file system, not storage)`;

describe('under /proc and /sys', () => {
  test('capture /proc/nonexist/x fails at once naming /proc', () => {
    expect(runWithin(['capture', '/proc/nonexist/x', '--pid', String(process.pid)])).toEqual({
      status: 1, stdout: '', stderr: `footprint: capture: cannot write into /proc/nonexist/x: ${KERNEL('/proc', 'proc')}\n`,
    });
  });

  test('save --dir /proc/x and /sys/x/y fail at once, before the scan', () => {
    expect(runWithin(['save', '--dir', '/proc/x'])).toEqual({
      status: 1, stdout: '', stderr: `footprint: cannot create report directory /proc/x: ${KERNEL('/proc', 'proc')}\n`,
    });
    expect(runWithin(['save', '--dir', '/sys/x/y'])).toEqual({
      status: 1, stdout: '', stderr: `footprint: cannot create report directory /sys/x/y: ${KERNEL('/sys', 'sysfs')}\n`,
    });
  });

  test('save --dir under the memory cgroup makes no cgroup', () => {
    const inside = '/sys/fs/cgroup/memory/footprint-test-not-a-cgroup';
    try {
      expect(runWithin(['save', '--dir', inside])).toEqual({
        status: 1, stdout: '', stderr: `footprint: cannot create report directory ${inside}: ${KERNEL('/sys', 'cgroup')}\n`,
      });
      expect(existsSync(inside)).toBe(false);
    } finally {
      // Where the check fails (as it did before), the cgroup it made goes.
      if (existsSync(inside)) rmdirSync(inside);
    }
  });

  test('export --textfile, history --html and run --json to a file under /proc: the same reason', () => {
    expect(runWithin(['export', '--textfile', '/proc/sys/footprint.prom', '--proc-root', TREE])).toEqual({
      status: 1, stdout: '', stderr: `footprint: cannot write /proc/sys/footprint.prom: ${KERNEL('/proc', 'proc')}\n`,
    });
    const dir = tempDir();
    writeReport(dir, report(ago(1), [group('a', MiB)]));
    expect(runWithin(['history', '--dir', dir, '--html', '/proc/footprint.html'])).toEqual({
      status: 1, stdout: '', stderr: `footprint: cannot write /proc/footprint.html: ${KERNEL('/proc', 'proc')}\n`,
    });
    const run = runWithin(['run', '--json', '/proc/run.json', '--', 'true']);
    expect(run.status).toBe(1);
    // run writes its files when CMD has ended (the summary comes first): the write's line is the last.
    expect(run.stderr.trimEnd().split('\n').pop()).toBe(`footprint: cannot write /proc/run.json: ${KERNEL('/proc', 'proc')}`);
  });

  test("--dir '' is a usage error, not the default directory", () => {
    const home = tempDir();
    const result = spawnSync(process.execPath, [BIN, 'save', '--dir', ''], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } });
    expect([result.status, result.stderr]).toEqual([2, "footprint: --dir: an empty path (leave --dir out for the default directory)\n"]);
    expect(existsSync(join(home, '.local'))).toBe(false);
    for (const command of [['history'], ['diff', 'previous', 'latest']]) {
      expect(runWithin([...command, '--dir', ''])).toEqual({
        status: 2, stdout: '', stderr: "footprint: --dir: an empty path (leave --dir out for the default directory)\n",
      });
    }
  });
});

describe('on a read-only file system', () => {
  const base = tempDir('footprint-readonly-');
  const ro = join(base, 'ro');
  let mounted = false;

  beforeAll(() => {
    mkdirSync(ro);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro], { encoding: 'utf8' });
    expect(mount.stderr).toBe('');
    mounted = mount.status === 0;
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).toContain(` ${ro} `);
  });

  afterAll(() => {
    if (mounted) expect(spawnSync('umount', [ro]).status).toBe(0);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(` ${ro} `);
    rmSync(base, { recursive: true, force: true });
  });

  test('save into it, or into a directory to make in it: EROFS, before the scan', () => {
    expect(runWithin(['save', '--dir', ro])).toEqual({
      status: 1, stdout: '', stderr: `footprint: cannot save into ${ro}: read-only file system (EROFS)\n`,
    });
    expect(runWithin(['save', '--dir', join(ro, 'reports')])).toEqual({
      status: 1, stdout: '', stderr: `footprint: cannot create report directory ${join(ro, 'reports')}: read-only file system (EROFS)\n`,
    });
  });

  test('capture into it: EROFS', () => {
    expect(runWithin(['capture', join(ro, 'tree'), '--pid', String(process.pid)])).toEqual({
      status: 1, stdout: '', stderr: `footprint: capture: cannot write into ${join(ro, 'tree')}: read-only file system (EROFS)\n`,
    });
  });

  test('export --textfile, history --html and run --json into it: EROFS', () => {
    const page = join(ro, 'history.html');
    expect(runWithin(['export', '--textfile', join(ro, 'footprint.prom'), '--proc-root', TREE])).toEqual({
      status: 1, stdout: '', stderr: `footprint: cannot write ${join(ro, 'footprint.prom')}: read-only file system (EROFS)\n`,
    });
    const dir = tempDir();
    writeReport(dir, report(ago(1), [group('a', MiB)]));
    expect(runWithin(['history', '--dir', dir, '--html', page])).toEqual({
      status: 1, stdout: '', stderr: `footprint: cannot write ${page}: read-only file system (EROFS)\n`,
    });
    const run = runWithin(['run', '--json', join(ro, 'run.json'), '--', 'true']);
    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd().split('\n').pop()).toBe(`footprint: cannot write ${join(ro, 'run.json')}: read-only file system (EROFS)`);
  });
});
