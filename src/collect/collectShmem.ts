import type { ProcReader } from '../kernel/procReader.js';
import type { ReadFailure } from '../kernel/readFailure.js';
import { listDescriptors, statDescriptor } from '../kernel/fdListing.js';
import { usedBytesOfMount, walkTmpfs, TMPFS_WALK_BOUNDS, type TmpfsWalkBounds } from '../kernel/tmpfsFiles.js';
import type { DeviceNumber } from '../kernel/procfs/deviceNumber.js';
import { parseFdTarget } from '../kernel/procfs/fdTarget.js';
import { parseMeminfo } from '../kernel/procfs/meminfo.js';
import { readMountinfoFields } from '../kernel/procfs/mountinfo.js';
import { SmapsParser, type SmapsMapping } from '../kernel/procfs/smaps.js';
import { parseSysvipcShm, type SysvSegment } from '../kernel/procfs/sysvipcShm.js';
import { attributeShmem, type ShmemAttribution, type ShmemInputs, type ShmemProcess, type TmpfsFile } from '../holders/shmemAttribution.js';
import {
  heldMappingOf, objectOfDescriptor, objectOfMapping, tmpfsMounts,
  type HeldDescriptor, type HeldMapping, type TmpfsMount,
} from '../holders/shmemObjects.js';
import { describeShmemHighlights, shmemHighlights } from '../holders/shmemHighlights.js';
import type { Unit } from '../model/units.js';
import { RuntimeFailure } from '../errors.js';

/**
 * `footprint shmem`'s reads (docs/holders.md, "Integration"), the shell around
 * holders/shmemAttribution.ts: mountinfo, a statfs and a bounded walk of each
 * tmpfs mount (live only: a captured tree has no mounts), /proc/sysvipc/shm,
 * each process's maps (smaps where a size needs Pss) and fd/, and meminfo
 * last, nearest to what the rest saw. Everything through the reader, so that
 * a capture records it and --proc-root replays it.
 */

export interface ShmemCollectOptions {
  walkBounds?: TmpfsWalkBounds;
  /** Only these processes (capture: those it captured); every one listed otherwise. */
  pids?: readonly number[];
  /** Walk the tmpfs mounts (live only); false where only the reads through the reader matter (capture records them). */
  walkMounts?: boolean;
}

/** What could not be read of one process: denied (another user's) is not attributable; gone (exited meanwhile) holds nothing. */
type ProcessRead = { ok: true; process: ShmemProcess } | { ok: false; gone: boolean };

function failed(failure: ReadFailure): { ok: false; gone: boolean } {
  return { ok: false, gone: failure.reason === 'missing' || failure.reason === 'exited' };
}

/** A process's mappings of Shmem objects only (everything else is no row): from maps, or smaps with `withCounters`, a piece at a time. */
function readHeldMappings(reader: ProcReader, pid: number, withCounters: boolean, tmpfsDevices: ReadonlySet<DeviceNumber>): HeldMapping[] | ReadFailure {
  const held: HeldMapping[] = [];
  const parser = new SmapsParser((mapping: SmapsMapping) => {
    const candidate = heldMappingOf(mapping, withCounters);
    if (objectOfMapping(candidate, tmpfsDevices) !== undefined) held.push(candidate);
  });
  const read = reader.readLines(`${pid}/${withCounters ? 'smaps' : 'maps'}`, (text) => parser.push(text));
  if (!read.ok) return read;
  const parsed = parser.finish();
  if (!parsed.ok) return { ok: false, reason: 'malformed', code: parsed.error.reason, path: reader.path(`${pid}/${withCounters ? 'smaps' : 'maps'}`) };
  return held;
}

/** Kinds whose size only the holders' mappings may give (no file to stat in a walk): their holders' smaps is read for Pss. */
function needsPss(mappings: readonly HeldMapping[], tmpfsDevices: ReadonlySet<DeviceNumber>): boolean {
  return mappings.some((mapping) => {
    const kind = objectOfMapping(mapping, tmpfsDevices)?.kind;
    return kind === 'unlinked' || kind === 'memfd' || kind === 'shared-anonymous';
  });
}

function readProcess(reader: ProcReader, pid: number, tmpfsDevices: ReadonlySet<DeviceNumber>): ProcessRead {
  const comm = reader.read(`${pid}/comm`);
  if (!comm.ok) return failed(comm);
  let mappings = readHeldMappings(reader, pid, false, tmpfsDevices);
  let withCounters = false;
  // maps over ProcReader's cap for it (1 MiB: some 15,000 mappings) on a live procfs: smaps, read a piece at a time under its own cap.
  if (!Array.isArray(mappings) && mappings.reason === 'malformed' && reader.bindsProcesses) {
    mappings = readHeldMappings(reader, pid, true, tmpfsDevices);
    withCounters = true;
  }
  if (!Array.isArray(mappings)) return failed(mappings);
  if (!withCounters && needsPss(mappings, tmpfsDevices)) {
    mappings = readHeldMappings(reader, pid, true, tmpfsDevices);
    if (!Array.isArray(mappings)) return failed(mappings);
  }
  const listing = listDescriptors(reader, pid);
  if (!listing.ok) return failed(listing);
  const descriptors: HeldDescriptor[] = [];
  for (const fd of listing.fds) {
    const link = reader.readLink(`${pid}/fd/${fd}`);
    if (!link.ok) continue;
    const target = parseFdTarget(link.target);
    if (target.kind === 'object') continue;
    const descriptor: HeldDescriptor = { fd, target, ...statDescriptor(reader, pid, fd) };
    if (objectOfDescriptor(descriptor, tmpfsDevices) !== undefined) descriptors.push(descriptor);
  }
  return { ok: true, process: { pid, program: comm.text.replace(/\n$/, ''), mappings, descriptors } };
}

function readOrFail(reader: ProcReader, relative: string): string {
  const read = reader.read(relative);
  if (!read.ok) throw new RuntimeFailure(`shmem: cannot read ${read.path}: ${read.code}`);
  return read.text;
}

/** The walks of the tmpfs mounts not covered by another: their files, their used bytes, which were walked to their end. */
function readMounts(mounts: readonly TmpfsMount[], bounds: TmpfsWalkBounds): Pick<ShmemInputs, 'mountUsed' | 'files' | 'walked'> {
  const mountUsed = new Map<DeviceNumber, number>();
  const files: TmpfsFile[] = [];
  const walked = new Set<DeviceNumber>();
  for (const mount of mounts) {
    if (mount.covered) continue;
    const used = usedBytesOfMount(mount.mountPoint);
    if (used !== undefined) mountUsed.set(mount.device, used);
    const walk = walkTmpfs(mount.mountPoint, mount.device, bounds);
    for (const file of walk.files) files.push(file);
    if (walk.complete) walked.add(mount.device);
  }
  return { mountUsed, files, walked };
}

/** Everything attributeShmem takes, read through `reader` (live, or a captured tree). */
export function readShmemInputs(reader: ProcReader, options: ShmemCollectOptions = {}): ShmemInputs {
  const mountinfo = reader.read('self/mountinfo');
  const mounts = mountinfo.ok ? tmpfsMounts(readMountinfoFields(mountinfo.text)) : [];
  const tmpfsDevices = new Set(mounts.map((mount) => mount.device));
  const pids = options.pids ?? reader.listPids();
  if ('reason' in pids) throw new RuntimeFailure(`shmem: cannot list ${pids.path}: ${pids.code}`);
  const processes: ShmemProcess[] = [];
  let unreadable = 0;
  for (const pid of pids) {
    const read = readProcess(reader, pid, tmpfsDevices);
    if (read.ok) processes.push(read.process);
    else if (!read.gone) unreadable++;
  }
  // A captured tree's mount points are this machine's, not the tree's: no walk there.
  const walks = reader.bindsProcesses && options.walkMounts !== false ? readMounts(mounts, options.walkBounds ?? TMPFS_WALK_BOUNDS) : { mountUsed: new Map(), files: [], walked: new Set<DeviceNumber>() };
  const sysvipc = reader.read('sysvipc/shm');
  let segments: SysvSegment[] = [];
  if (sysvipc.ok) {
    const parsed = parseSysvipcShm(sysvipc.text);
    if (!parsed.ok) throw new RuntimeFailure(`shmem: ${reader.path('sysvipc/shm')}: ${parsed.error.reason}`);
    segments = parsed.value;
  }
  const meminfo = parseMeminfo(readOrFail(reader, 'meminfo'));
  if (!meminfo.ok) throw new RuntimeFailure(`shmem: ${reader.path('meminfo')}: ${meminfo.error.reason}`);
  return { shmem: meminfo.value.Shmem ?? 0, mounts, ...walks, segments, processes, unreadable };
}

/** The machine's shared memory, attributed: the reads, then the core. */
export function collectShmem(reader: ProcReader, options: ShmemCollectOptions = {}): ShmemAttribution {
  return attributeShmem(readShmemInputs(reader, options));
}

/**
 * The report's System-block line on shared memory (`--system`): its three
 * largest objects with a holder each, the orphans' total, and a pointer to
 * `footprint shmem`. As dear as `footprint shmem` (every process's maps and
 * fd/): the report asks for it only where the System block is itemised.
 */
export function describeMachineShmem(reader: ProcReader, units: Unit): string {
  return describeShmemHighlights(shmemHighlights(collectShmem(reader)), units);
}
