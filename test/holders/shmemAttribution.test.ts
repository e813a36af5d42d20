import { describe, expect, it } from '@jest/globals';
import { parseFdTarget } from '../../src/kernel/procfs/fdTarget.js';
import { parseSysvipcShm } from '../../src/kernel/procfs/sysvipcShm.js';
import { readMountinfoFields } from '../../src/kernel/procfs/mountinfo.js';
import { parseSmaps } from '../../src/kernel/procfs/smaps.js';
import { attributeShmem, type ShmemInputs, type ShmemProcess } from '../../src/holders/shmemAttribution.js';
import { selectShmemRows } from '../../src/holders/selectShmem.js';
import { renderShmemText } from '../../src/holders/shmemText.js';
import { heldMappingOf, objectOfMapping, tmpfsMounts, type HeldMapping } from '../../src/holders/shmemObjects.js';

const MIB = 1024 * 1024;

/* This machine's tmpfs lines of /proc/self/mountinfo (Linux 6.18): /dev/shm mounted twice, the second over the first. */
const MOUNTINFO = [
  '23 26 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334808k,nr_inodes=3083702,mode=755',
  '24 23 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683748k',
  '26 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '29 24 0:26 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683748k',
  '30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '31 30 0:28 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
].join('\n');

/* maps lines of test/fixtures/shmemKinds.c's processes and others on this machine. */
const MAPS = {
  posix: '7f66f14af000-7f66f54af000 rw-s 00000000 00:1a 4                          /dev/shm/fp-try posix',
  unlinked: '7f5d3bef8000-7f5d3cef8000 rw-s 00000000 00:1a 5                          /dev/shm/fp-try-unl (deleted)',
  sysv: '7f5d21051000-7f5d24051000 rw-s 00000000 00:01 0                          /SYSV00000000 (deleted)',
  memfdPrivate: '7fe74af0d000-7fe74af15000 rw-p 00000000 00:01 1024                       /memfd:sealed-91173221a7ea (deleted)',
  sharedAnonymous: '7f2d6a200000-7f2d6b200000 rw-s 00000000 00:01 4113                       /dev/zero (deleted)',
  library: '7f0e27ede000-7f0e27ee5000 r--s 00000000 fe:00 338846            /usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache',
  deviceNode: '7f3c5a000000-7f3c5a100000 rw-s 10ad000000 00:06 512                  /dev/dri/renderD128',
  hugetlbMemfd: '7f4000000000-7f4000200000 rw-s 00000000 00:10 77                         /memfd:huge (deleted)',
};

function held(line: string, counters?: { rss: number; pss: number; anonymous?: number }, flags = 'rd wr sh mr mw me ms sd'): HeldMapping {
  const text = `${line}\nSize: 4 kB\nRss: ${(counters?.rss ?? 0) / 1024} kB\nPss: ${(counters?.pss ?? 0) / 1024} kB\nAnonymous: ${(counters?.anonymous ?? 0) / 1024} kB\nVmFlags: ${flags}\n`;
  const result = parseSmaps(text);
  if (!result.ok) throw new Error(result.error.reason);
  return heldMappingOf(result.value[0], counters !== undefined);
}

const mounts = tmpfsMounts(readMountinfoFields(MOUNTINFO));
const tmpfsDevices = new Set(mounts.map((mount) => mount.device));

function inputs(overrides: Partial<ShmemInputs>): ShmemInputs {
  return { shmem: 0, mounts, mountUsed: new Map(), files: [], walked: new Set(), segments: [], processes: [], unreadable: 0, ...overrides };
}

describe('tmpfsMounts', () => {
  it('tmpfs and devtmpfs, one per file system, a mount covered by a later one at the same point marked', () => {
    expect(mounts).toEqual([
      { device: '0:6', mountPoint: '/dev', covered: false },
      { device: '0:22', mountPoint: '/dev/shm', covered: true },
      { device: '0:26', mountPoint: '/dev/shm', covered: false },
      { device: '0:27', mountPoint: '/sys/fs/cgroup', covered: false },
    ]);
  });
});

describe('objectOfMapping: which mappings are Shmem, and of what kind', () => {
  it.each([
    ['posix', { kind: 'tmpfs', key: '0:26 4', name: '/dev/shm/fp-try posix' }],
    ['unlinked', { kind: 'unlinked', key: '0:26 5', name: '/dev/shm/fp-try-unl' }],
    ['sysv', { kind: 'sysv', key: 'sysv 0', name: '/SYSV00000000' }],
    ['memfdPrivate', { kind: 'memfd', key: '0:1 1024', name: '/memfd:sealed-91173221a7ea' }],
    ['sharedAnonymous', { kind: 'shared-anonymous', key: '0:1 4113', name: '[shared anonymous]' }],
    // A device node on devtmpfs is found as a tmpfs object here; attributeShmem leaves it out where /dev was walked.
    ['deviceNode', { kind: 'tmpfs', key: '0:6 512', name: '/dev/dri/renderD128' }],
  ] as const)('%s', (which, expected) => {
    expect(objectOfMapping(held(MAPS[which]), tmpfsDevices)).toMatchObject(expected);
  });

  it('a private mapping of a memfd: the pages it wrote are its own anonymous memory, not the memfd\'s', () => {
    expect(held(MAPS.memfdPrivate, { rss: 32 * 1024, pss: 20 * 1024, anonymous: 12 * 1024 })).toMatchObject({ shared: false, rss: 20 * 1024, pss: 8 * 1024 });
    // A shared mapping has no copy-on-write pages: all it maps is the object's.
    expect(held(MAPS.sharedAnonymous, { rss: 32 * 1024, pss: 20 * 1024, anonymous: 0 })).toMatchObject({ rss: 32 * 1024, pss: 20 * 1024 });
  });

  it('a file on disk and a hugetlb memfd are not Shmem', () => {
    expect(objectOfMapping(held(MAPS.library), tmpfsDevices)).toBeUndefined();
    expect(objectOfMapping(held(MAPS.hugetlbMemfd, undefined, 'rd wr sh mr mw me ms de ht sd'), tmpfsDevices)).toBeUndefined();
  });
});

describe('attributeShmem on hand-made inputs', () => {
  const holder = (pid: number, mappings: HeldMapping[], descriptors: ShmemProcess['descriptors'] = []): ShmemProcess => ({ pid, program: `p${pid}`, mappings, descriptors });

  it('one object mapped by two and held open by a third is one row with three holders, its size from the descriptor\'s stat', () => {
    const memfd = MAPS.memfdPrivate.replace('rw-p', 'rw-s');
    const result = attributeShmem(inputs({
      shmem: 4 * MIB,
      processes: [
        holder(30, [held(memfd, { rss: MIB, pss: MIB / 2 })]),
        holder(10, [held(memfd, { rss: MIB, pss: MIB / 2 })]),
        holder(20, [], [{ fd: 5, target: parseFdTarget('/memfd:sealed-91173221a7ea (deleted)'), device: '0:1', inode: 1024, bytes: 2 * MIB, size: 2 * MIB }]),
      ],
    }));
    expect(result.rows).toEqual([{
      kind: 'memfd', name: '/memfd:sealed-91173221a7ea', bytes: 2 * MIB, bytesSource: 'stat', size: 2 * MIB, pids: [10, 20, 30], orphan: false, holdersUnknown: false,
      holders: [{ pid: 10, program: 'p10', mapped: true, open: false }, { pid: 20, program: 'p20', mapped: false, open: true }, { pid: 30, program: 'p30', mapped: true, open: false }],
    }]);
    expect(result.totals.notAttributable).toEqual({ unlinkedUnseen: [], other: 2 * MIB, bytes: 2 * MIB });
  });

  it('without a stat, the Pss of every mapping summed; without Pss, the largest Rss', () => {
    const result = attributeShmem(inputs({
      processes: [
        holder(1, [held(MAPS.sharedAnonymous, { rss: 3 * MIB, pss: 1.5 * MIB })]),
        holder(2, [held(MAPS.sharedAnonymous, { rss: 3 * MIB, pss: 1.5 * MIB }), held(MAPS.unlinked)]),
      ],
    }));
    expect(result.rows.map((row) => [row.kind, row.bytes, row.bytesSource, row.pids])).toEqual([
      ['shared-anonymous', 3 * MIB, 'pss', [1, 2]],
      ['unlinked', 0, 'unknown', [2]],
    ]);
  });

  it('a SysV segment attached nowhere is an orphan; one marked for removal is kept with its mark', () => {
    const sysvipc = parseSysvipcShm([
      '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap',
      '      4660          7   600               8388608   100   100      0  1000  1000  1000  1000          0          0 1796551458               8388608                     0',
      '         0          8  1600               4194304   101   101      1     0     0     0     0          0          0 1796551458               2097152                     0',
    ].join('\n'));
    if (!sysvipc.ok) throw new Error(sysvipc.error.reason);
    const result = attributeShmem(inputs({ shmem: 10 * MIB, segments: sysvipc.value, processes: [holder(101, [held(MAPS.sysv.replace('00:01 0 ', '00:01 8 '))])] }));
    expect(result.rows.map((row) => [row.name, row.bytes, row.orphan, row.pids, row.sysv?.markedForRemoval, row.uid])).toEqual([
      ['/SYSV00001234', 8 * MIB, true, [], false, 1000],
      ['/SYSV00000000', 2 * MIB, false, [101], true, 0],
    ]);
    expect(result.totals).toMatchObject({ attributed: 10 * MIB, orphaned: 8 * MIB, orphans: 1, byKind: { sysv: 10 * MIB } });
  });

  it('tmpfs files from the walk: held ones and orphans; the mount\'s used blocks say what unlinked files no holder showed', () => {
    const result = attributeShmem(inputs({
      shmem: 40 * MIB,
      mountUsed: new Map([['0:26', 30 * MIB]]),
      walked: new Set(['0:6', '0:26']),
      files: [
        { device: '0:26', inode: 4, path: '/dev/shm/fp-try posix', bytes: 16 * MIB, size: 16 * MIB, uid: 0 },
        { device: '0:26', inode: 9, path: '/dev/shm/left\nbehind\x1b[2J', bytes: 4 * MIB, size: 64 * MIB, uid: 1000 },
      ],
      processes: [holder(5, [held(MAPS.posix), held(MAPS.deviceNode), held(MAPS.library)], [{ fd: 1, target: parseFdTarget('/dev/null') }])],
    }));
    expect(result.rows.map((row) => [row.kind, row.name, row.mount, row.bytes, row.pids, row.orphan])).toEqual([
      ['tmpfs', '/dev/shm/fp-try posix', '/dev/shm', 16 * MIB, [5], false],
      ['tmpfs', '/dev/shm/left\nbehind\x1b[2J', '/dev/shm', 4 * MIB, [], true],
    ]);
    expect(result.totals.notAttributable).toEqual({ unlinkedUnseen: [{ mount: '/dev/shm', bytes: 10 * MIB }], other: 10 * MIB, bytes: 20 * MIB });
    expect(result.totals.attributed + result.totals.notAttributable.bytes).toBe(40 * MIB);
  });

  it('without every process read, an orphan may be held by one not read; a SysV segment attached where no one read maps it is no orphan', () => {
    const sysvipc = parseSysvipcShm([
      '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap',
      '         0          9   600               4194304   100   100      2     0     0     0     0          0          0 1796551458               4194304                     0',
    ].join('\n'));
    if (!sysvipc.ok) throw new Error(sysvipc.error.reason);
    const files = [{ device: '0:26', inode: 1, path: '/dev/shm/root-owned', bytes: MIB, size: MIB, uid: 0 }];
    const unread = attributeShmem(inputs({ shmem: 5 * MIB, files, segments: sysvipc.value, unreadable: 7 }));
    expect(unread.rows.map((row) => [row.name, row.orphan, row.holdersUnknown])).toEqual([['/SYSV00000000', false, true], ['/dev/shm/root-owned', true, true]]);
    expect(unread.totals).toMatchObject({ orphans: 1, orphaned: MIB, maybeHeld: { objects: 1, bytes: MIB }, unreadable: 7 });
    const everyone = attributeShmem(inputs({ shmem: 5 * MIB, files, segments: sysvipc.value }));
    expect(everyone.rows.map((row) => [row.name, row.orphan, row.holdersUnknown])).toEqual([['/SYSV00000000', false, true], ['/dev/shm/root-owned', true, false]]);
    expect(everyone.totals.maybeHeld).toEqual({ objects: 0, bytes: 0 });
  });

  it('a tmpfs of 100,000 files: every one a row, and a view of the largest ten stays ten lines and the totals', () => {
    const files = Array.from({ length: 100_000 }, (_, index) => ({ device: '0:26', inode: index + 10, path: `/dev/shm/f${index}`, bytes: 4096 * (1 + (index % 7)), size: 4096, uid: 0 }));
    const result = attributeShmem(inputs({ shmem: 2 * 1024 * MIB, files }));
    expect(result.rows).toHaveLength(100_000);
    expect(result.totals.orphans).toBe(100_000);
    expect(result.totals.orphaned).toBe(files.reduce((sum, file) => sum + file.bytes, 0));
    const text = renderShmemText(selectShmemRows(result, { limit: 10 }), { width: 80, fancy: false, units: 'auto' });
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(1, 11).every((line) => line.includes('28.0 KiB'))).toBe(true);
    expect(lines[11]).toBe('99990 more objects: 1.5 GiB.');
    expect(lines.length).toBeLessThan(20);
  });

  it('rows that count more than Shmem leave "other" negative, not hidden', () => {
    const result = attributeShmem(inputs({ shmem: MIB, files: [{ device: '0:26', inode: 1, path: '/dev/shm/x', bytes: 2 * MIB, size: 2 * MIB, uid: 0 }] }));
    expect(result.totals.notAttributable.other).toBe(-MIB);
  });
});
