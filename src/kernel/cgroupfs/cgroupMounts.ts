import { readMountinfoFields } from '../procfs/mountinfo.js';

/** A cgroup hierarchy that carries the memory controller, as /proc/self/mountinfo shows it. */
export interface MemoryHierarchyMount {
  version: 1 | 2;
  /** Where it is mounted, e.g. /sys/fs/cgroup/memory or /sys/fs/cgroup. */
  mountPoint: string;
  /** The cgroup this mount shows as its top ("/" unless a container was given a subtree). */
  root: string;
  /**
   * How a cgroup's OOM kill counter counts: `subtree`, v2's memory.events, which
   * the kernel raises in the victim's cgroup and every ancestor; `own`, the
   * victim's cgroup alone — v1's memory.oom_control, and v2's memory.events on a
   * mount with the memory_localevents option (5.2+).
   */
  kills: KillCounting;
}

export type KillCounting = 'subtree' | 'own';

/**
 * The cgroup mounts of /proc/self/mountinfo (proc(5), readMountinfoFields): v1
 * hierarchies whose super options name the memory controller, and every cgroup2
 * mount (whether v2 has the memory controller is its root's cgroup.controllers,
 * a read). A line that does not parse is skipped: the mounts footprint cannot
 * read are not its to judge. The first mount of each hierarchy wins (bind mounts repeat it).
 */
export function parseCgroupMounts(text: string): MemoryHierarchyMount[] {
  const mounts: MemoryHierarchyMount[] = [];
  const seen = new Set<string>();
  for (const entry of readMountinfoFields(text)) {
    let version: 1 | 2;
    if (entry.fsType === 'cgroup2') version = 2;
    else if (entry.fsType === 'cgroup' && entry.superOptions.includes('memory')) version = 1;
    else continue;
    const key = `${version}:${entry.device}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const kills: KillCounting = version === 2 && !entry.superOptions.includes('memory_localevents') ? 'subtree' : 'own';
    mounts.push({ version, root: entry.root, mountPoint: entry.mountPoint, kills });
  }
  return mounts;
}

/**
 * A process's memory cgroup from /proc/PID/cgroup: the v1 line whose
 * controllers include memory, else (cgroup v2) the unified "0::" line.
 */
export function memoryCgroupOf(text: string, version: 1 | 2): string | undefined {
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    if (version === 1 ? controllers.split(',').includes('memory') : line.slice(0, first) === '0' && controllers === '') {
      return line.slice(second + 1);
    }
  }
  return undefined;
}
