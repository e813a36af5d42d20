import type { FdTarget } from '../kernel/procfs/fdTarget.js';
import { deviceFromMaps, deviceFromMountinfo, type DeviceNumber } from '../kernel/procfs/deviceNumber.js';
import { readMountinfoFields, type MountFields } from '../kernel/procfs/mountinfo.js';
import type { SmapsMapping } from '../kernel/procfs/smaps.js';

/**
 * What counts in meminfo's Shmem, and how each object is recognised in a
 * holder's maps and fd/ (mm/shmem.c is the one allocator behind them all):
 *
 *   tmpfs            a named file on a tmpfs (or devtmpfs) mount; POSIX shm is /dev/shm/NAME
 *   unlinked         a tmpfs file unlinked while still mapped or open: "PATH (deleted)"
 *   memfd            memfd_create(): "/memfd:NAME (deleted)", on the kernel's internal shm mount
 *   sysv             a System V segment: "/SYSV%08x (deleted)", its inode the shmid
 *   shared-anonymous MAP_SHARED|MAP_ANONYMOUS: "/dev/zero (deleted)" (or [anon_shmem:NAME]), one object per mmap, shared across fork
 *
 * A hugetlb mapping (memfd with MFD_HUGETLB, SysV with SHM_HUGETLB: VmFlags
 * "ht") is on hugetlbfs and is not Shmem; it is left out.
 */
export type ShmemKind = 'tmpfs' | 'unlinked' | 'memfd' | 'sysv' | 'shared-anonymous';

export const SHMEM_KINDS: readonly ShmemKind[] = ['tmpfs', 'unlinked', 'memfd', 'sysv', 'shared-anonymous'];

/** A mount whose files are Shmem, by its device: the same file system mounted twice is one. */
export interface TmpfsMount {
  device: DeviceNumber;
  mountPoint: string;
  /** Another mount sits on the same mount point, over this one: its files cannot be reached by path (they still cost). */
  covered: boolean;
}

/**
 * The tmpfs and devtmpfs mounts of a mountinfo, one per file system (its first
 * mount point that no later mount covers, else its first). ramfs is not here:
 * its pages are page cache, not Shmem.
 */
export function tmpfsMounts(entries: readonly MountFields[]): TmpfsMount[] {
  const byDevice = new Map<DeviceNumber, TmpfsMount>();
  entries.forEach((entry, index) => {
    if (entry.fsType !== 'tmpfs' && entry.fsType !== 'devtmpfs') return;
    const device = deviceFromMountinfo(entry.device);
    if (device === undefined) return;
    const covered = entries.slice(index + 1).some((later) => later.mountPoint === entry.mountPoint);
    const known = byDevice.get(device);
    if (known === undefined || (known.covered && !covered)) byDevice.set(device, { device, mountPoint: entry.mountPoint, covered });
  });
  return [...byDevice.values()];
}

/** The lines of a mountinfo that mount a tmpfs or devtmpfs: what a capture keeps of it for `footprint shmem --proc-root`. */
export function tmpfsMountLines(mountinfo: string): string {
  const lines = mountinfo.split('\n').filter((line) => line !== '' && readMountinfoFields(line).some((entry) => entry.fsType === 'tmpfs' || entry.fsType === 'devtmpfs'));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** A mapping of one process, as the shmem view needs it: from smaps (with Rss and Pss) or maps (without). */
export interface HeldMapping {
  device: DeviceNumber;
  inode: number;
  /** The path column as the kernel prints it, " (deleted)" taken off; "" for none, [NAME] for the kernel's names. */
  path: string;
  deleted: boolean;
  shared: boolean;
  hugetlb: boolean;
  /** From smaps only: this process's resident and proportional bytes of the mapping. */
  rss?: number;
  pss?: number;
}

/** The HeldMapping of a parsed smaps (or maps: `withCounters` false, whose counters are not there) mapping. */
export function heldMappingOf(mapping: SmapsMapping, withCounters: boolean): HeldMapping {
  const { backing } = mapping;
  const held: HeldMapping = {
    device: deviceFromMaps(mapping.device) ?? mapping.device,
    inode: mapping.inode,
    path: backing.kind === 'path' ? backing.path : backing.kind === 'pseudo' ? backing.name : '',
    deleted: backing.kind === 'path' && backing.deleted,
    shared: mapping.permissions.shared,
    hugetlb: mapping.vmFlags.includes('ht'),
  };
  if (withCounters) {
    // A private (copy-on-write) mapping of a shmem file holds the file's pages until it writes them; the pages it wrote are
    // its own anonymous memory (smaps' Anonymous), not Shmem. Such pages are private, so their Pss is their size.
    const cow = mapping.permissions.shared ? 0 : mapping.counters.anonymous;
    held.rss = Math.max(0, mapping.counters.rss - cow);
    held.pss = Math.max(0, mapping.counters.pss - cow);
  }
  return held;
}

/**
 * A descriptor a process holds open, with what a stat of it (through the fd
 * link) said, where it could be made and it is a regular file: a device node
 * (/dev/null is on devtmpfs), a directory or a socket has none of these.
 */
export interface HeldDescriptor {
  fd: number;
  /** parseFdTarget of the link's text. */
  target: FdTarget;
  device?: DeviceNumber;
  inode?: number;
  /** st_blocks × 512: the object's allocated bytes (resident, and swapped where swap is on). */
  bytes?: number;
  /** st_size: its length. */
  size?: number;
}

/** One Shmem object: its kind and the identity that finds it again in another process (device and inode; a SysV segment's shmid). */
export interface ShmemObjectRef {
  kind: ShmemKind;
  key: string;
  /** Its name as the holder sees it: the path, "/memfd:NAME", "/SYSV0000abcd", "[shared anonymous]". */
  name: string;
  device: DeviceNumber;
  inode: number;
}

const SYSV_PATH = /^\/SYSV[0-9a-f]{8}$/;

/** The Shmem object a mapping maps, or undefined when it maps none (a file on disk, private anonymous memory, hugetlb). */
export function objectOfMapping(mapping: HeldMapping, tmpfsDevices: ReadonlySet<DeviceNumber>): ShmemObjectRef | undefined {
  if (mapping.hugetlb) return undefined;
  const { device, inode, path, deleted } = mapping;
  const ref = (kind: ShmemKind, name: string): ShmemObjectRef => ({ kind, key: kind === 'sysv' ? `sysv ${inode}` : `${device} ${inode}`, name, device, inode });
  if (SYSV_PATH.test(path) && deleted) return ref('sysv', path);
  if (path.startsWith('/memfd:')) return ref('memfd', path);
  if (mapping.shared && ((path === '/dev/zero' && deleted) || path.startsWith('[anon_shmem:'))) return ref('shared-anonymous', '[shared anonymous]');
  if (tmpfsDevices.has(device) && path.startsWith('/')) return ref(deleted ? 'unlinked' : 'tmpfs', path);
  return undefined;
}

/** The Shmem object an open descriptor holds, or undefined (a file on disk, a socket, a descriptor that could not be stat'ed and is not a memfd). */
export function objectOfDescriptor(descriptor: HeldDescriptor, tmpfsDevices: ReadonlySet<DeviceNumber>): ShmemObjectRef | undefined {
  const { target, device, inode } = descriptor;
  if (target.kind === 'object' || device === undefined || inode === undefined) return undefined;
  const ref = (kind: ShmemKind, name: string): ShmemObjectRef => ({ kind, key: `${device} ${inode}`, name, device, inode });
  // A memfd made with MFD_HUGETLB is on hugetlbfs and not Shmem; its descriptor alone does not say so (its mappings do: VmFlags ht).
  if (target.kind === 'memfd') return ref('memfd', `/memfd:${target.name}`);
  if (tmpfsDevices.has(device)) return ref(target.deleted ? 'unlinked' : 'tmpfs', target.path);
  return undefined;
}
