/**
 * The shmem view's reads, done here by the test with node:fs (the kernel room
 * will do them for the CLI; docs/holders.md's "integration" says what and
 * how): meminfo, mountinfo, a statfs and a walk of each tmpfs mount,
 * /proc/sysvipc/shm, and each process's maps and fd/ — smaps only for a
 * process that maps an object whose size nothing else gives (an unlinked
 * file or memfd only mapped, shared anonymous memory).
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deviceFromStat } from '../../src/kernel/procfs/deviceNumber.js';
import { parseFdTarget } from '../../src/kernel/procfs/fdTarget.js';
import { parseSysvipcShm } from '../../src/kernel/procfs/sysvipcShm.js';
import { parseMeminfo } from '../../src/kernel/procfs/meminfo.js';
import { readMountinfoFields } from '../../src/kernel/procfs/mountinfo.js';
import { parseSmaps } from '../../src/kernel/procfs/smaps.js';
import type { ShmemInputs, ShmemProcess, TmpfsFile } from '../../src/holders/shmemAttribution.js';
import { heldMappingOf, objectOfMapping, tmpfsMounts, type HeldDescriptor, type HeldMapping } from '../../src/holders/shmemObjects.js';

/** The most entries one walk looks at: a tmpfs of a million files is cut, not followed to the end. */
const MAX_ENTRIES = 200_000;

/** Regular files of one tmpfs mount, never leaving its file system, never following a link. */
function walkMount(mountPoint: string, device: string): { files: TmpfsFile[]; complete: boolean } {
  const files: TmpfsFile[] = [];
  const directories = [mountPoint];
  let seen = 0;
  let complete = true;
  while (directories.length > 0 && seen < MAX_ENTRIES) {
    const directory = directories.pop()!;
    let names: string[];
    try {
      names = readdirSync(directory);
    } catch {
      complete = false;
      continue;
    }
    for (const name of names) {
      if (++seen > MAX_ENTRIES) break;
      const path = join(directory, name);
      let stat;
      try {
        stat = lstatSync(path, { bigint: true });
      } catch {
        continue;
      }
      if (deviceFromStat(stat.dev) !== device) continue;
      if (stat.isDirectory()) directories.push(path);
      else if (stat.isFile()) files.push({ device, inode: Number(stat.ino), path, bytes: Number(stat.blocks) * 512, size: Number(stat.size), uid: Number(stat.uid) });
    }
  }
  return { files, complete: complete && seen <= MAX_ENTRIES && directories.length === 0 };
}

/** One process's maps and open descriptors; undefined when it could not be read (gone, or not ours). */
function readProcess(pid: number, tmpfsDevices: ReadonlySet<string>): ShmemProcess | undefined {
  try {
    const program = readFileSync(`/proc/${pid}/comm`, 'utf8').trimEnd();
    const maps = parseSmaps(readFileSync(`/proc/${pid}/maps`, 'utf8'));
    if (!maps.ok) return undefined;
    let mappings: HeldMapping[] = maps.value.map((mapping) => heldMappingOf(mapping, false));
    const needsCounters = mappings.some((mapping) => {
      const kind = objectOfMapping(mapping, tmpfsDevices)?.kind;
      return kind === 'unlinked' || kind === 'memfd' || kind === 'shared-anonymous';
    });
    if (needsCounters) {
      const smaps = parseSmaps(readFileSync(`/proc/${pid}/smaps`, 'utf8'));
      if (!smaps.ok) return undefined;
      mappings = smaps.value.map((mapping) => heldMappingOf(mapping, true));
    }
    const descriptors: HeldDescriptor[] = [];
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const target = parseFdTarget(link);
      const descriptor: HeldDescriptor = { fd: Number(fd), target };
      if (target.kind !== 'object') {
        try {
          const stat = statSync(`/proc/${pid}/fd/${fd}`, { bigint: true });
          if (!stat.isFile()) throw new Error('not a regular file');
          descriptor.device = deviceFromStat(stat.dev);
          descriptor.inode = Number(stat.ino);
          descriptor.bytes = Number(stat.blocks) * 512;
          descriptor.size = Number(stat.size);
        } catch {
          // Not a regular file (/dev/null), or closed since the readlink: the link is all there is.
        }
      }
      descriptors.push(descriptor);
    }
    return { pid, program, mappings, descriptors };
  } catch {
    return undefined;
  }
}

/** Everything attributeShmem takes, read from this machine now; meminfo last, nearest to what the rest saw. */
export function readShmemInputs(): ShmemInputs {
  const mounts = tmpfsMounts(readMountinfoFields(readFileSync('/proc/self/mountinfo', 'utf8')));
  const tmpfsDevices = new Set(mounts.map((mount) => mount.device));
  const processes: ShmemProcess[] = [];
  let unreadable = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const process = readProcess(Number(entry), tmpfsDevices);
    if (process === undefined) unreadable++;
    else processes.push(process);
  }
  const mountUsed = new Map<string, number>();
  const files: TmpfsFile[] = [];
  const walked = new Set<string>();
  for (const mount of mounts) {
    if (mount.covered) continue;
    const stat = statfsSync(mount.mountPoint);
    if (stat.blocks > 0) mountUsed.set(mount.device, (stat.blocks - stat.bfree) * stat.bsize);
    const walk = walkMount(mount.mountPoint, mount.device);
    files.push(...walk.files);
    if (walk.complete) walked.add(mount.device);
  }
  const segments = parseSysvipcShm(readFileSync('/proc/sysvipc/shm', 'utf8'));
  if (!segments.ok) throw new Error(segments.error.reason);
  const meminfo = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'));
  if (!meminfo.ok) throw new Error(meminfo.error.reason);
  return { shmem: meminfo.value.Shmem, mounts, mountUsed, files, walked, segments: segments.value, processes, unreadable };
}
