import { dirname, join } from 'node:path';
import { parseCgroupMounts, type MemoryHierarchyMount } from '../kernel/cgroupfs/cgroupMounts.js';
import { CgroupReader } from '../kernel/cgroupReader.js';
import { entryKind } from '../kernel/files/entryKind.js';
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
  if (cgroupRoot !== undefined) return capturedHierarchy(CgroupReader.captured(cgroupRoot), `--cgroup-root ${cgroupRoot}`);
  if (mountinfo === undefined) return { ok: false, reason: 'cannot read /proc/self/mountinfo to find the cgroup mounts' };
  const mounts = parseCgroupMounts(mountinfo);
  for (const mount of mounts) {
    const reader = new CgroupReader(mount.mountPoint);
    if (mount.version === 1 || hasMemoryController(reader)) return { ok: true, mount, reader };
  }
  return { ok: false, reason: mounts.length === 0 ? 'no cgroup hierarchy is mounted' : 'no mounted cgroup hierarchy has the memory controller' };
}

/** A captured hierarchy, read only inside itself (`reader` is one of CgroupReader's captured ones). */
function capturedHierarchy(reader: CgroupReader, named: string): HierarchyFound {
  const version = detectVersion(reader);
  if (version === undefined) return { ok: false, reason: `${named}: not a memory cgroup tree (no cgroup.controllers nor memory.usage_in_bytes at its top)` };
  // A captured tree keeps no mount options: its v2 counters are taken as the kernel's default, counted in every ancestor.
  return { ok: true, mount: { version, mountPoint: reader.root, root: '/', kills: version === 2 ? 'subtree' : 'own' }, reader };
}

/** Where `footprint capture DIR` puts the memory hierarchy beside DIR/proc. */
export function capturedCgroupDir(procRoot: string): string {
  return join(capturedBase(procRoot), CAPTURED_CGROUP);
}

const CAPTURED_CGROUP = 'cgroup';

/** DIR of a captured DIR/proc. */
function capturedBase(procRoot: string): string {
  return dirname(procRoot.replace(/\/+$/, '') || '/');
}

/**
 * The memory hierarchy captured with a /proc tree: DIR/cgroup beside DIR/proc,
 * and the mount's top from DIR/proc/self/mountinfo (the cgroup mounts' lines,
 * which capture saves), "/" without it. A tree captured before capture saved
 * them has none: the reason says what is then unknown.
 */
export function findCapturedHierarchy(procRoot: string): HierarchyFound {
  const dir = capturedCgroupDir(procRoot);
  // DIR/cgroup must be the directory itself, never a link (the hierarchy is then read only through DIR, see CgroupReader's CapturedPlace).
  const kind = entryKind(dir);
  if (kind === 'link') return { ok: false, reason: `${dir} is a symbolic link; a captured tree is read only inside itself` };
  if (kind === 'none') return { ok: false, reason: `${procRoot} was captured without its cgroup files (no ${dir})` };
  const found = capturedHierarchy(new CgroupReader(dir, undefined, { base: capturedBase(procRoot), under: CAPTURED_CGROUP }), `--cgroup-root ${dir}`);
  if (!found.ok) return found;
  const mountinfo = CgroupReader.captured(procRoot).read('self/mountinfo');
  const mount = mountinfo.ok ? parseCgroupMounts(mountinfo.text).find((entry) => entry.version === found.mount.version) : undefined;
  return mount === undefined ? found : { ...found, mount: { ...found.mount, root: mount.root } };
}

/**
 * The hierarchy a report reads: the live one (from `mountinfo`, the live
 * /proc/self/mountinfo's text, readLiveMountinfo), or for a captured
 * --proc-root, the one captured with it.
 */
export function locateHierarchy(procRoot: string | undefined, live: boolean, mountinfo: string | undefined): HierarchyFound {
  return live ? findHierarchy(mountinfo, undefined) : findCapturedHierarchy(procRoot!);
}
