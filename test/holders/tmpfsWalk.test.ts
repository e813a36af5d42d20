/**
 * The walk of a tmpfs mount (src/kernel/tmpfsFiles.ts) on a real directory of
 * /dev/shm: regular files with their blocks, subdirectories followed, links and
 * FIFOs never, and the bounds on entries and depth cut the walk and say so.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceFromStat } from '../../src/kernel/procfs/deviceNumber.js';
import { usedBytesOfMount, walkTmpfs } from '../../src/kernel/tmpfsFiles.js';

const PAGE = 4096;
const ROOT = `/dev/shm/fp-walk-${process.pid}`;
const BOUNDS = { maxEntries: 1000, maxDepth: 8 };

describe('walkTmpfs', () => {
  let device = '';

  beforeAll(() => {
    mkdirSync(join(ROOT, 'a', 'b'), { recursive: true });
    writeFileSync(join(ROOT, 'top'), Buffer.alloc(3 * PAGE, 1));
    writeFileSync(join(ROOT, 'a', 'b', 'deep\nname'), Buffer.alloc(PAGE, 1));
    writeFileSync(join(ROOT, 'empty'), '');
    symlinkSync('/etc', join(ROOT, 'etc-link'));
    symlinkSync(join(ROOT, 'top'), join(ROOT, 'top-link'));
    expect(spawnSync('mkfifo', [join(ROOT, 'fifo')]).status).toBe(0);
    device = deviceFromStat(statSync(ROOT).dev);
  });

  afterAll(() => {
    rmSync(ROOT, { recursive: true, force: true });
  });

  it('lists every regular file with its blocks, follows no link, skips the FIFO', () => {
    const walk = walkTmpfs(ROOT, device, BOUNDS);
    expect(walk.complete).toBe(true);
    const byPath = new Map(walk.files.map((file) => [file.path, file]));
    expect([...byPath.keys()].sort()).toEqual([join(ROOT, 'a', 'b', 'deep\nname'), join(ROOT, 'empty'), join(ROOT, 'top')]);
    expect(byPath.get(join(ROOT, 'top'))).toMatchObject({ device, bytes: 3 * PAGE, size: 3 * PAGE, uid: 0, inode: statSync(join(ROOT, 'top')).ino });
    expect(byPath.get(join(ROOT, 'empty'))).toMatchObject({ bytes: 0, size: 0 });
    // Entries: a, b, deep, top, empty, two links, the FIFO.
    expect(walk.entries).toBe(8);
  });

  it('a file of another device (the walk started on the wrong one) is no file of this mount', () => {
    expect(walkTmpfs(ROOT, '0:1', BOUNDS).files).toEqual([]);
  });

  it('the bound on entries cuts the walk, and it says it is incomplete', () => {
    const walk = walkTmpfs(ROOT, device, { maxEntries: 3, maxDepth: 8 });
    expect(walk.complete).toBe(false);
    expect(walk.entries).toBe(3);
  });

  it('the bound on depth leaves deeper directories unlisted, and says so', () => {
    const walk = walkTmpfs(ROOT, device, { maxEntries: 1000, maxDepth: 1 });
    expect(walk.complete).toBe(false);
    expect(walk.files.map((file) => file.path)).not.toContain(join(ROOT, 'a', 'b', 'deep\nname'));
  });

  it('a directory that is not there: nothing, incomplete', () => {
    expect(walkTmpfs(join(ROOT, 'none'), device, BOUNDS)).toEqual({ files: [], complete: false, entries: 0 });
  });

  it('statfs: /dev/shm\'s used bytes include these files', () => {
    expect(usedBytesOfMount('/dev/shm')).toBeGreaterThanOrEqual(4 * PAGE);
    expect(usedBytesOfMount('/nonexistent')).toBeUndefined();
  });
});
