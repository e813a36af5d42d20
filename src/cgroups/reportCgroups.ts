import type { CgroupReader } from '../kernel/cgroupReader.js';
import { locateHierarchy } from './findHierarchy.js';
import { readCgroupFiles } from './readCgroupTree.js';
import { rowOf } from './core/cgroupRows.js';
import type { MemoryHierarchyMount } from '../kernel/cgroupfs/cgroupMounts.js';
import type { GroupCgroup, ProgramGroup, Report } from '../model/report.js';
import type { ProcessSample } from '../model/processSample.js';
import { findCgroupHolders } from './findCgroupHolders.js';

/** A cgroup path as the process sees it, made a path from the mount's top (a container's mount may show a subtree). */
function fromMountTop(path: string, mount: MemoryHierarchyMount): string | undefined {
  if (mount.root === '/') return path;
  if (path === mount.root) return '/';
  return path.startsWith(`${mount.root}/`) ? path.slice(mount.root.length) : undefined;
}

/** A group's cgroup, from its members' memory cgroup: one cgroup's own files, or why not. */
function groupCgroup(group: ProgramGroup, samples: ReadonlyMap<number, ProcessSample>, reader: CgroupReader, mount: MemoryHierarchyMount): GroupCgroup {
  const key = mount.version === 1 ? 'v1' : 'v2';
  const paths = new Set(group.pids.map((pid) => samples.get(pid)?.memoryCgroup?.[key]));
  if (paths.size !== 1 || paths.has(undefined)) {
    return { unknown: [paths.has(undefined) ? 'a member\'s memory cgroup is not in its /proc/PID/cgroup' : `its processes are in ${paths.size} memory cgroups`] };
  }
  const seen = [...paths][0]!;
  const path = fromMountTop(seen, mount);
  if (path === undefined) return { unknown: [`${seen} is outside the mounted hierarchy (its top is ${mount.root})`] };
  const files = readCgroupFiles(reader, mount.version, path);
  const row = rowOf(files, mount.version);
  const cgroup: GroupCgroup = { path, version: mount.version };
  if (row.charge !== undefined) {
    cgroup.charge = row.charge.charge;
    cgroup.chargeSource = row.charge.source;
  }
  if (row.limits.max !== undefined) cgroup.limit = row.limits.max;
  if (row.limits.high !== undefined) cgroup.high = row.limits.high;
  if (row.headroom !== undefined) cgroup.headroom = row.headroom;
  const unknown = [...files.unreadable];
  if (cgroup.charge === undefined && unknown.length === 0) unknown.push(path === '/' ? 'the root cgroup has no charge files' : 'no memory.stat');
  if (unknown.length > 0) cgroup.unknown = unknown;
  return cgroup;
}

/**
 * The cgroups' side of a report, added to it where a memory hierarchy is found
 * (the live one, or the one captured beside a --proc-root tree): for --group
 * cgroup each group's charge and limits, and for the System block the cgroups
 * holding most of the page cache and slab. Where none is found, a --group
 * cgroup report says why (cgroupsUnknown), and no figure is made up.
 */
export function addCgroups(report: Report, samples: readonly ProcessSample[], procRoot: string, live: boolean, mountinfo: string | undefined): void {
  const found = locateHierarchy(procRoot, live, mountinfo);
  if (!found.ok) {
    if (report.groupBy === 'cgroup') report.cgroupsUnknown = found.reason;
    return;
  }
  const { reader, mount } = found;
  report.system.cgroups = findCgroupHolders(reader, mount.version);
  if (report.groupBy !== 'cgroup') return;
  const byPid = new Map(samples.map((sample) => [sample.pid, sample]));
  for (const group of report.groups) group.cgroup = groupCgroup(group, byPid, reader, mount);
}
