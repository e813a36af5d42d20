/**
 * capture writes a tree of many files: it is staged in a hidden folder beside
 * its place and renamed into place, so a capture that fails midway leaves no
 * DIR/proc (nor DIR/cgroup) at all. A real full disk (a 256 KiB tmpfs, root)
 * makes it fail for real, past its first files; a real dead process's PID
 * names a leftover stage, which the next capture removes.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/snapshots.js';
import { tempDir as listedTempDir } from '../helpers/tempPaths.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = listedTempDir('footprint-staged-');
  made.push(dir);
  return dir;
};

describe('capture is never seen half written', () => {
  const asRoot = process.getuid?.() === 0 ? test : test.skip;
  asRoot('a disk that fills midway: exit 1 naming the cause, and nothing left in DIR, not even the hidden stage', () => {
    const mountPoint = tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]);
    try {
      // The whole machine's /proc files (smaps of every process) are far more than 256 KiB.
      const result = runCli(['capture', join(mountPoint, 'snap')]);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`footprint: capture: cannot write into ${join(mountPoint, 'snap')}: no space left on device (ENOSPC)\n`);
      expect(readdirSync(join(mountPoint, 'snap'))).toEqual([]);
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  });

  test("a stage left by a capture that was killed (its PID gone) is removed by the next; another live writer's is kept", () => {
    const dir = tempDir();
    const dead = spawnSync('true').pid!;
    const leftover = join(dir, `.footprint-stage-${dead}-0123456789ab`);
    mkdirSync(join(leftover, 'proc'), { recursive: true });
    writeFileSync(join(leftover, 'proc', 'meminfo'), 'MemTotal: 1 kB\n');
    const alive = join(dir, `.footprint-stage-${process.pid}-0123456789ab`);
    mkdirSync(alive);
    const result = runCli(['capture', dir, '--pid', String(process.pid), '-q']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(readdirSync(dir).sort()).toEqual(['.footprint-stage-' + process.pid + '-0123456789ab', 'cgroup', 'proc'].sort());
  });
});
