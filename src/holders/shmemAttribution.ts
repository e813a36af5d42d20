import type { DeviceNumber } from '../kernel/procfs/deviceNumber.js';
import type { SysvSegment } from '../kernel/procfs/sysvipcShm.js';
import { sysvMappingName } from '../kernel/procfs/sysvipcShm.js';
import {
  objectOfDescriptor, objectOfMapping, SHMEM_KINDS,
  type HeldDescriptor, type HeldMapping, type ShmemKind, type ShmemObjectRef, type TmpfsMount,
} from './shmemObjects.js';

/**
 * `footprint shmem`: what makes up meminfo's Shmem and who holds it. Pure: the
 * shell reads meminfo, mountinfo, a statfs and a walk of each tmpfs mount,
 * /proc/sysvipc/shm, and each readable process's maps (or smaps) and fd/, and
 * hands the records over; the rows, their holders, the orphans and the totals
 * come out.
 */

/** A regular file found by walking a tmpfs mount (lstat: never followed). */
export interface TmpfsFile {
  device: DeviceNumber;
  inode: number;
  path: string;
  /** st_blocks × 512: its allocated pages (resident, and swapped where swap is on). */
  bytes: number;
  /** st_size: its length, which may be far past what it holds (sparse). */
  size: number;
  uid: number;
}

/** One process's side: what it maps and what it holds open. */
export interface ShmemProcess {
  pid: number;
  program: string;
  mappings: readonly HeldMapping[];
  descriptors: readonly HeldDescriptor[];
}

export interface ShmemInputs {
  /** meminfo's Shmem, bytes. */
  shmem: number;
  mounts: readonly TmpfsMount[];
  /** statfs of each mount, by device: its used bytes ((f_blocks − f_bfree) × f_bsize), where it could be made and the mount has a size (a tmpfs with size=0 reports none). */
  mountUsed: ReadonlyMap<DeviceNumber, number>;
  files: readonly TmpfsFile[];
  /**
   * The mounts whose walk ended (not cut by a bound, not refused): a named file
   * mapped from one of them and not among its files is not a regular file (a
   * device node on devtmpfs: /dev/dri's buffers are the driver's) and is no row.
   */
  walked: ReadonlySet<DeviceNumber>;
  segments: readonly SysvSegment[];
  processes: readonly ShmemProcess[];
  /** Processes whose maps or fd/ could not be read (another user's, without root): what they hold is not attributable. */
  unreadable: number;
}

/** How a row's bytes are known. */
export type BytesSource =
  /** st_blocks of the file or of a descriptor: the kernel's count of the object's pages. */
  | 'stat'
  /** /proc/sysvipc/shm's rss (or its size, on a kernel without rss). */
  | 'sysvipc'
  /** The sum of Pss over every mapping of it read: its pages mapped by some process (exact where every holder was read; not a page mapped by none). */
  | 'pss'
  /** The largest Rss of one mapping of it (maps, not smaps, or no Pss): a lower bound. */
  | 'rss'
  /** Nothing gave a size (maps read without counters, no descriptor): 0, a lower bound. */
  | 'unknown';

export interface ShmemHolder {
  pid: number;
  program: string;
  /** Whether it maps the object, holds it open, or both. */
  mapped: boolean;
  open: boolean;
}

export interface ShmemRow {
  kind: ShmemKind;
  /** A tmpfs file's path; "/memfd:NAME" (the name as readlink gives it, else as maps print it); "/SYSV0000abcd"; "[shared anonymous]". Raw: render escapes it. */
  name: string;
  /** The tmpfs mount it is on (tmpfs and unlinked). */
  mount?: string;
  /** Its Shmem bytes (see bytesSource). */
  bytes: number;
  bytesSource: BytesSource;
  /** Its length where known (st_size, a SysV segment's size). */
  size?: number;
  /** The holders' PIDs, ascending, and each holder. */
  pids: number[];
  holders: ShmemHolder[];
  /**
   * Held by no process: a named tmpfs file no process read maps or holds open,
   * a SysV segment attached nowhere (the kernel's count, exact whoever reads it).
   */
  orphan: boolean;
  /**
   * It may have holders that were not read: a tmpfs file with none found while
   * some processes could not be read (without root: other users'), a SysV
   * segment attached somewhere that no process read maps. An orphan with this
   * set is "no holder read" rather than "held by no process".
   */
  holdersUnknown: boolean;
  /** A SysV segment's own figures. */
  sysv?: { shmid: number; key: number; attached: number; creatorPid: number; ownerUid: number; markedForRemoval: boolean; swap?: number };
  /** A file's owner (tmpfs files from the walk; a SysV segment's). */
  uid?: number;
}

/** What no row names, each part with where it came from. */
export interface NotAttributable {
  /** Per tmpfs mount: its used bytes (statfs) less its files and the unlinked files found held on it: unlinked files whose holders were not read. */
  unlinkedUnseen: { mount: string; bytes: number }[];
  /** Shmem less the rows and the above: other users' memfds and shared anonymous memory without root, GPU buffers, tmpfs mounts of other mount namespaces, kernel users. Negative where the rows count more than Shmem (swapped tmpfs pages are in st_blocks, not in Shmem). */
  other: number;
  /** Both parts. */
  bytes: number;
}

export interface ShmemTotals {
  /** meminfo's Shmem. */
  shmem: number;
  byKind: Record<ShmemKind, number>;
  /** The rows summed. */
  attributed: number;
  /** The orphans' rows summed. */
  orphaned: number;
  orphans: number;
  /** Of the orphans, those that may be held by a process not read (holdersUnknown): with every process read, none. */
  maybeHeld: { objects: number; bytes: number };
  notAttributable: NotAttributable;
  /** Processes not read (their holdings are in notAttributable; an orphan may be held by one of them). */
  unreadable: number;
}

export interface ShmemAttribution {
  rows: ShmemRow[];
  totals: ShmemTotals;
}

interface Building {
  row: ShmemRow;
  /** Bytes from a stat of a descriptor or the walk; SysV's from the kernel. */
  statBytes?: number;
  pss: number;
  anyPss: boolean;
  largestRss: number;
  anyRss: boolean;
  /** A name from readlink or the walk (exact) rather than from maps (\012 for a newline). */
  exactName: boolean;
  device: DeviceNumber;
}

/** The largest first; ties by kind, then name. */
function rowOrder(a: ShmemRow, b: ShmemRow): number {
  return b.bytes - a.bytes || SHMEM_KINDS.indexOf(a.kind) - SHMEM_KINDS.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Who holds what: every Shmem object found, its holders, orphans flagged, and totals that add up to Shmem. */
export function attributeShmem(inputs: ShmemInputs): ShmemAttribution {
  const tmpfsDevices = new Set(inputs.mounts.map((mount) => mount.device));
  const mountOf = new Map(inputs.mounts.map((mount) => [mount.device, mount.mountPoint]));
  const objects = new Map<string, Building>();

  const objectFor = (ref: ShmemObjectRef): Building => {
    let building = objects.get(ref.key);
    if (building === undefined) {
      const row: ShmemRow = { kind: ref.kind, name: ref.name, bytes: 0, bytesSource: 'unknown', pids: [], holders: [], orphan: false, holdersUnknown: false };
      const mount = mountOf.get(ref.device);
      if (mount !== undefined && (ref.kind === 'tmpfs' || ref.kind === 'unlinked')) row.mount = mount;
      building = { row, pss: 0, anyPss: false, largestRss: 0, anyRss: false, exactName: false, device: ref.device };
      objects.set(ref.key, building);
    }
    return building;
  };

  for (const file of inputs.files) {
    const building = objectFor({ kind: 'tmpfs', key: `${file.device} ${file.inode}`, name: file.path, device: file.device, inode: file.inode });
    building.row.name = file.path;
    building.exactName = true;
    building.statBytes = file.bytes;
    building.row.size = file.size;
    building.row.uid = file.uid;
  }

  for (const segment of inputs.segments) {
    const building = objectFor({ kind: 'sysv', key: `sysv ${segment.shmid}`, name: sysvMappingName(segment.key), device: '', inode: segment.shmid });
    building.statBytes = segment.rss ?? segment.size;
    building.exactName = true;
    building.row.size = segment.size;
    building.row.uid = segment.owner.uid;
    building.row.sysv = {
      shmid: segment.shmid, key: segment.key, attached: segment.attached, creatorPid: segment.creatorPid, ownerUid: segment.owner.uid, markedForRemoval: segment.markedForRemoval,
    };
    if (segment.swap !== undefined) building.row.sysv.swap = segment.swap;
  }

  const holderOf = (building: Building, process: ShmemProcess): ShmemHolder => {
    const holders = building.row.holders;
    const last = holders[holders.length - 1];
    if (last !== undefined && last.pid === process.pid) return last;
    const found = holders.find((holder) => holder.pid === process.pid);
    if (found !== undefined) return found;
    const holder = { pid: process.pid, program: process.program, mapped: false, open: false };
    holders.push(holder);
    return holder;
  };

  for (const process of inputs.processes) {
    for (const mapping of process.mappings) {
      const ref = objectOfMapping(mapping, tmpfsDevices);
      if (ref === undefined) continue;
      // A SysV segment removed between the reads of sysvipc/shm and of this process's maps: a row of its own all the same.
      const building = objectFor(ref);
      holderOf(building, process).mapped = true;
      if (mapping.pss !== undefined) {
        building.pss += mapping.pss;
        building.anyPss = true;
      }
      if (mapping.rss !== undefined) {
        building.largestRss = Math.max(building.largestRss, mapping.rss);
        building.anyRss = true;
      }
    }
    for (const descriptor of process.descriptors) {
      const ref = objectOfDescriptor(descriptor, tmpfsDevices);
      if (ref === undefined) continue;
      const building = objectFor(ref);
      holderOf(building, process).open = true;
      if (!building.exactName) {
        building.row.name = ref.name;
        building.exactName = true;
      }
      if (descriptor.bytes !== undefined && building.row.kind !== 'sysv') building.statBytes = Math.max(building.statBytes ?? 0, descriptor.bytes);
      if (descriptor.size !== undefined && building.row.size === undefined) building.row.size = descriptor.size;
    }
  }

  const rows: ShmemRow[] = [];
  for (const building of objects.values()) {
    const { row } = building;
    if (row.kind === 'tmpfs' && !building.exactName && inputs.walked.has(building.device)) continue;
    if (building.statBytes !== undefined) {
      row.bytes = building.statBytes;
      row.bytesSource = row.kind === 'sysv' ? 'sysvipc' : 'stat';
    } else if (building.anyPss) {
      row.bytes = Math.round(building.pss);
      row.bytesSource = 'pss';
    } else if (building.anyRss) {
      row.bytes = building.largestRss;
      row.bytesSource = 'rss';
    }
    row.holders.sort((a, b) => a.pid - b.pid);
    row.pids = row.holders.map((holder) => holder.pid);
    const unheld = row.holders.length === 0;
    if (row.kind === 'sysv') {
      row.orphan = row.sysv !== undefined && row.sysv.attached === 0;
      row.holdersUnknown = unheld && !row.orphan;
    } else if (row.kind === 'tmpfs' && unheld) {
      row.orphan = true;
      row.holdersUnknown = inputs.unreadable > 0;
    }
    rows.push(row);
  }
  rows.sort(rowOrder);
  return { rows, totals: totalsOf(rows, inputs) };
}

function totalsOf(rows: readonly ShmemRow[], inputs: ShmemInputs): ShmemTotals {
  const byKind = Object.fromEntries(SHMEM_KINDS.map((kind) => [kind, 0])) as Record<ShmemKind, number>;
  let attributed = 0;
  let orphaned = 0;
  let orphans = 0;
  const maybeHeld = { objects: 0, bytes: 0 };
  const onMount = new Map<string, number>();
  for (const row of rows) {
    byKind[row.kind] += row.bytes;
    attributed += row.bytes;
    if (row.orphan) {
      orphaned += row.bytes;
      orphans++;
    }
    if (row.orphan && row.holdersUnknown) {
      maybeHeld.objects++;
      maybeHeld.bytes += row.bytes;
    }
    if (row.mount !== undefined) onMount.set(row.mount, (onMount.get(row.mount) ?? 0) + row.bytes);
  }
  const unlinkedUnseen: { mount: string; bytes: number }[] = [];
  for (const mount of inputs.mounts) {
    const used = inputs.mountUsed.get(mount.device);
    if (used === undefined) continue;
    // A mount's used blocks count every file on it, unlinked ones still held too; statfs and the walk are not one instant, so a small negative is noise.
    const unseen = used - (onMount.get(mount.mountPoint) ?? 0);
    if (unseen > 0) unlinkedUnseen.push({ mount: mount.mountPoint, bytes: unseen });
  }
  const unseenBytes = unlinkedUnseen.reduce((sum, part) => sum + part.bytes, 0);
  const other = inputs.shmem - attributed - unseenBytes;
  return {
    shmem: inputs.shmem,
    byKind,
    attributed,
    orphaned,
    orphans,
    maybeHeld,
    notAttributable: { unlinkedUnseen, other, bytes: unseenBytes + other },
    unreadable: inputs.unreadable,
  };
}
