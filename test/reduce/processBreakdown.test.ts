import { describe, expect, it } from '@jest/globals';
import { parseSmaps, type SmapsMapping } from '../../src/kernel/procfs/smaps.js';
import { breakdownProcess, usageByMapping } from '../../src/reduce/processBreakdown.js';
import { snapshotText, KIB, type SnapshotName } from '../helpers/snapshots.js';

function mappingsOf(snapshot: SnapshotName, pid: number): SmapsMapping[] {
  const parsed = parseSmaps(snapshotText(snapshot, `${pid}/smaps`));
  if (!parsed.ok) throw new Error(parsed.error.reason);
  return parsed.value;
}

const kib = (sc: number, sd: number, pc: number, pd: number) =>
  ({ sharedClean: sc * KIB, sharedDirty: sd * KIB, privateClean: pc * KIB, privateDirty: pd * KIB });

/*
 * Rows computed apart with awk over snapshots/node-many-mappings/proc/11165/smaps:
 * each header classified by its path (memfd/SYSV/dev/shm, or /dev/zero with an
 * "s" permission -> shm; other "/" paths -> file; [heap], [stack]; [vdso] [vvar]
 * [vvar_vclock] [vsyscall] -> kernel; the rest anonymous) and permissions, then
 * Shared_Clean, Shared_Dirty, Private_Clean, Private_Dirty summed per row and per section.
 */
describe('breakdownProcess on python shm_kinds.py (node-many-mappings/11165)', () => {
  const breakdown = breakdownProcess(mappingsOf('node-many-mappings', 11165));
  const rows = (section: 'mapped' | 'anonymous') =>
    breakdown[section].rows.map((r) => [r.region, r.permissions, r.mappings, r.sharedClean / KIB, r.sharedDirty / KIB, r.privateClean / KIB, r.privateDirty / KIB]);

  it('mapped memory: one row per permission, in the article\'s order', () => {
    expect(rows('mapped')).toEqual([
      ['file', 'r-xp', 9, 1608, 0, 2520, 0],
      ['file', 'rw-p', 9, 0, 0, 92, 1236],
      ['file', 'r--p', 28, 552, 0, 1312, 56],
      ['file', 'r--s', 1, 28, 0, 0, 0],
    ]);
    expect(breakdown.mapped.total).toEqual(kib(2188, 0, 3924, 1292));
  });

  it('anonymous memory: heap, stack, the four shared-memory mappings and the kernel\'s pages apart', () => {
    expect(rows('anonymous')).toEqual([
      ['anonymous', 'rw-p', 5, 0, 0, 0, 1604],
      ['heap', 'rw-p', 1, 0, 0, 0, 844],
      ['stack', 'rw-p', 1, 0, 0, 0, 60],
      // /dev/zero, memfd, SysV and /dev/shm: 64 KiB each, all written by the one process.
      ['shared-memory', 'rw-s', 4, 0, 0, 0, 256],
      // vdso (r-xp), vvar and vvar_vclock (r--p), vsyscall (--xp): one row for the kernel's four.
      ['kernel', '(all)', 4, 4, 0, 0, 0],
    ]);
    expect(breakdown.anonymous.total).toEqual(kib(4, 0, 0, 2764));
  });

  it('the grand total equals the whole file\'s sums, its Private_Dirty is the writable figure', () => {
    // Whole-file sums: see test/procfs/smaps.test.ts (sc 2192, sd 0, pc 3924, pd 4056 kB).
    expect(breakdown.total).toEqual(kib(2192, 0, 3924, 4056));
    expect(breakdown.writable).toBe(4056 * KIB);
  });

  it('labels say what a row is', () => {
    const labels = Object.fromEntries([...breakdown.mapped.rows, ...breakdown.anonymous.rows].map((r) => [`${r.region} ${r.permissions}`, r.label]));
    expect(labels['file r-xp']).toBe('Code');
    expect(labels['file rw-p']).toBe('Data');
    expect(labels['heap rw-p']).toBe('Heap (brk)');
    expect(labels['shared-memory rw-s']).toBe('Shared memory (shm, memfd)');
  });
});

describe('usageByMapping on python map_spaces.py (deleted-exe/11201)', () => {
  it('the largest private dirty first, mappings of one file merged', () => {
    // awk: Private_Dirty, Private_Clean, Rss and mapping count per path column of snapshots/deleted-exe/proc/11201/smaps.
    const top = usageByMapping(mappingsOf('deleted-exe', 11201)).slice(0, 5)
      .map((u) => [u.name, u.mappings, u.privateDirty / KIB, u.privateClean / KIB, u.rss / KIB]);
    expect(top).toEqual([
      ['[anonymous]', 5, 1492, 0, 1492],
      ['/usr/bin/python3.11', 5, 1180, 3160, 4340],
      ['[heap]', 1, 736, 0, 736],
      ['[stack]', 1, 60, 0, 60],
      ['/usr/lib/x86_64-linux-gnu/libc.so.6', 5, 24, 0, 1480],
    ]);
  });

  it('a kernel thread has nothing to break down', () => {
    expect(usageByMapping([])).toEqual([]);
    expect(breakdownProcess([]).writable).toBe(0);
  });
});
