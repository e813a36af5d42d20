import { parseCgroupMounts, type MemoryHierarchyMount } from '../cgroupfs/cgroupMounts.js';
import { CgroupReader } from './cgroupReader.js';
import { detectVersion, hasMemoryController } from './readCgroupTree.js';

export type HierarchyFound = { ok: true; mount: MemoryHierarchyMount; reader: CgroupReader } | { ok: false; reason: string };

/**
 * The memory hierarchy to read: a captured tree's (its version from its files),
 * or the mounted one from /proc/self/mountinfo's text — v1's memory controller,
 * or a cgroup2 mount whose top offers the memory controller (a hybrid host's
 * /sys/fs/cgroup/unified usually does not). The controller is bound to one
 * hierarchy at a time, so the first that has it is the one.
 */
export function findHierarchy(mountinfo: string | undefined, cgroupRoot: string | undefined): HierarchyFound {
  if (cgroupRoot !== undefined) {
    const reader = new CgroupReader(cgroupRoot);
    const version = detectVersion(reader);
    if (version === undefined) return { ok: false, reason: `--cgroup-root ${cgroupRoot}: not a memory cgroup tree (no cgroup.controllers nor memory.usage_in_bytes at its top)` };
    return { ok: true, mount: { version, mountPoint: cgroupRoot, root: '/' }, reader };
  }
  if (mountinfo === undefined) return { ok: false, reason: 'cannot read /proc/self/mountinfo to find the cgroup mounts' };
  const mounts = parseCgroupMounts(mountinfo);
  for (const mount of mounts) {
    const reader = new CgroupReader(mount.mountPoint);
    if (mount.version === 1 || hasMemoryController(reader)) return { ok: true, mount, reader };
  }
  return { ok: false, reason: mounts.length === 0 ? 'no cgroup hierarchy is mounted' : 'no mounted cgroup hierarchy has the memory controller' };
}
