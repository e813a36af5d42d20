/** What the tree needs of a process: who it is (PID + start time) and who its parent is. */
export interface ProcessLink {
  pid: number;
  ppid: number;
  /** Clock ticks since boot (stat field 22). */
  startTime: number;
}

/**
 * The PIDs of `root` and all its descendants, found from each process's parent
 * (stat field 4), root first, then breadth first. A child is never older than its
 * parent: a "child" that started before the process now holding its parent's PID
 * belonged to an earlier process of that PID, and is not in the tree. Empty when
 * root itself (that PID with that start time) is not among the links.
 */
export function descendantsOf(root: { pid: number; startTime: number }, links: Iterable<ProcessLink>): number[] {
  return descendantsOfAll([root], links);
}

/**
 * The PIDs of every root (each a PID + start time) and all their descendants, each once,
 * the first root's tree first. A root that is not among the links adds nothing; one that is
 * already a descendant of an earlier root adds nothing twice. For a run that also follows
 * processes that left its tree (double fork + setsid) or that its cgroup holds.
 */
export function descendantsOfAll(roots: readonly { pid: number; startTime: number }[], links: Iterable<ProcessLink>): number[] {
  const byPid = new Map<number, ProcessLink>();
  const children = new Map<number, ProcessLink[]>();
  for (const link of links) {
    byPid.set(link.pid, link);
    const siblings = children.get(link.ppid);
    if (siblings === undefined) children.set(link.ppid, [link]);
    else siblings.push(link);
  }
  const inTree = new Set<number>();
  const tree: ProcessLink[] = [];
  for (const root of roots) {
    const top = byPid.get(root.pid);
    if (top === undefined || top.startTime !== root.startTime || inTree.has(top.pid)) continue;
    inTree.add(top.pid);
    tree.push(top);
    for (let index = tree.length - 1; index < tree.length; index++) {
      const parent = tree[index];
      for (const child of children.get(parent.pid) ?? []) {
        if (child.startTime >= parent.startTime && !inTree.has(child.pid)) {
          inTree.add(child.pid);
          tree.push(child);
        }
      }
    }
  }
  return tree.map((link) => link.pid);
}
