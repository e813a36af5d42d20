/**
 * A hand-made shmem attribution for the renderers' tests: one object of each
 * kind a user meets (a POSIX shm file, a SysV segment, a memfd two processes
 * hold, a /dev/shm file with a hostile name and no holder, an unlinked file
 * only mapped), on this machine's /dev/shm mount line.
 */
import { attributeShmem, type ShmemAttribution } from '../../src/holders/shmemAttribution.js';
import { tmpfsMounts } from '../../src/holders/shmemObjects.js';
import { parseFdTarget } from '../../src/kernel/procfs/fdTarget.js';
import { readMountinfoFields } from '../../src/kernel/procfs/mountinfo.js';

const MIB = 1024 * 1024;

const MOUNTS = tmpfsMounts(readMountinfoFields('29 24 0:26 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683748k'));

/** Three processes not read by default: the file with no holder may be held by one of them. */
export function attribution(unreadable = 3): ShmemAttribution {
  return attributeShmem({
    shmem: 200 * MIB,
    mounts: MOUNTS,
    mountUsed: new Map([['0:26', 80 * MIB]]),
    walked: new Set(['0:26']),
    files: [
      { device: '0:26', inode: 4, path: '/dev/shm/fp posix', bytes: 64 * MIB, size: 64 * MIB, uid: 0 },
      { device: '0:26', inode: 9, path: `/dev/shm/${'x'.repeat(120)}\x1b[2J`, bytes: 8 * MIB, size: 8 * MIB, uid: 0 },
    ],
    segments: [{ key: 0, shmid: 3, permissions: 0o600, markedForRemoval: false, size: 48 * MIB, creatorPid: 300, lastPid: 300, attached: 1, owner: { uid: 0, gid: 0 }, creator: { uid: 0, gid: 0 }, rss: 48 * MIB, swap: 0 }],
    processes: [
      { pid: 100, program: 'postgres', mappings: [], descriptors: [{ fd: 3, target: parseFdTarget('/memfd:cache\nline (deleted)'), device: '0:1', inode: 77, bytes: 32 * MIB, size: 32 * MIB }] },
      { pid: 101, program: 'postgres', mappings: [], descriptors: [{ fd: 4, target: parseFdTarget('/memfd:cache\nline (deleted)'), device: '0:1', inode: 77, bytes: 32 * MIB, size: 32 * MIB }] },
      { pid: 200, program: 'shmemKinds', mappings: [{ device: '0:26', inode: 4, path: '/dev/shm/fp posix', deleted: false, shared: true, hugetlb: false }], descriptors: [] },
      { pid: 300, program: 'shmemKinds', mappings: [{ device: '0:1', inode: 3, path: '/SYSV00000000', deleted: true, shared: true, hugetlb: false, rss: 48 * MIB, pss: 48 * MIB }], descriptors: [] },
      { pid: 400, program: 'app', mappings: [{ device: '0:26', inode: 12, path: '/dev/shm/gone', deleted: true, shared: true, hugetlb: false, rss: 4 * MIB, pss: 4 * MIB }], descriptors: [] },
    ],
    unreadable,
  });
}

