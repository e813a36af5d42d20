import type { ProcReader } from '../kernel/procReader.js';
import type { CgroupReader } from '../kernel/cgroupReader.js';
import { memoryCgroupOf, type MemoryHierarchyMount } from '../kernel/cgroupfs/cgroupMounts.js';
import { parseFlatKeyed } from '../kernel/cgroupfs/flatKeyed.js';
import { readLiveMountinfo } from '../kernel/liveMountinfo.js';
import { locateHierarchy } from './findHierarchy.js';
import { shmemByCgroup, type CgroupShmem } from '../holders/shmemByCgroup.js';
import type { ShmemAttribution } from '../holders/shmemAttribution.js';

/** The most cgroups whose memory.stat is read, and how deep: a hierarchy of a million cgroups is cut. */
const MAX_CGROUPS = 10_000;
const MAX_DEPTH = 64;

/** A cgroup path as the process sees it, from the mount's top (a container's mount may show a subtree); undefined outside it. */
function fromMountTop(path: string, mount: MemoryHierarchyMount): string | undefined {
  if (mount.root === '/') return path;
  if (path === mount.root) return '/';
  return path.startsWith(`${mount.root}/`) ? path.slice(mount.root.length) : undefined;
}

/** memory.stat's shmem of every cgroup (v1: its own pages; v2: its subtree's), walked from the top, bounded. */
function chargedShmem(reader: CgroupReader): Map<string, number> {
  const charged = new Map<string, number>();
  const pending: { relative: string; depth: number }[] = [{ relative: '', depth: 0 }];
  let seen = 0;
  while (pending.length > 0 && seen < MAX_CGROUPS) {
    const { relative, depth } = pending.pop()!;
    seen++;
    const stat = reader.read(relative === '' ? 'memory.stat' : `${relative}/memory.stat`);
    if (stat.ok) {
      const parsed = parseFlatKeyed('memory.stat', stat.text);
      const shmem = parsed.ok ? parsed.value.values.shmem : undefined;
      if (shmem !== undefined) charged.set(relative === '' ? '/' : `/${relative}`, shmem);
    }
    if (depth >= MAX_DEPTH) continue;
    const children = reader.children(relative);
    if (!Array.isArray(children)) continue;
    for (const child of children) pending.push({ relative: relative === '' ? child : `${relative}/${child}`, depth: depth + 1 });
  }
  return charged;
}

/**
 * `footprint shmem --by-cgroup`: each memory cgroup's shmem figure (memory.stat)
 * beside the objects its member processes hold (holders/shmemByCgroup.ts); the
 * holders' cgroups from their /proc/PID/cgroup. A string says why there is none
 * (no memory hierarchy mounted, none captured).
 */
export function collectShmemCgroups(proc: ProcReader, attribution: ShmemAttribution): CgroupShmem[] | string {
  const live = proc.bindsProcesses;
  const found = locateHierarchy(proc.root, live, live ? readLiveMountinfo(proc) : undefined);
  if (!found.ok) return found.reason;
  const { mount, reader } = found;
  const cgroupOf = new Map<number, string>();
  for (const pid of new Set(attribution.rows.flatMap((row) => row.pids))) {
    const text = proc.read(`${pid}/cgroup`);
    if (!text.ok) continue;
    const seen = memoryCgroupOf(text.text, mount.version);
    const path = seen === undefined ? undefined : fromMountTop(seen, mount);
    if (path !== undefined) cgroupOf.set(pid, path);
  }
  return shmemByCgroup(attribution, cgroupOf, chargedShmem(reader));
}
