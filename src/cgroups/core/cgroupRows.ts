import type { ProcessSample } from '../../model/processSample.js';
import { chargePartsV1, chargePartsV2 } from './chargeParts.js';
import { heldByMembers } from './heldByMembers.js';
import { nextVictim, type OomCandidate } from './nextVictim.js';
import type { CgroupFiles, CgroupRow, CgroupTree, UnmeasuredMembers } from './model.js';

/** Every member PID of the tree, once. */
export function allMembers(tree: CgroupTree): Set<number> {
  const members = new Set<number>();
  for (const files of tree.cgroups) for (const pid of files.procs ?? []) members.add(pid);
  return members;
}

/** Each cgroup's members and its descendants', from a walk in parent-before-child order. */
function subtreeMembers(cgroups: readonly CgroupFiles[], index: number): Set<number> {
  const members = new Set<number>(cgroups[index].procs ?? []);
  const depth = cgroups[index].depth;
  for (let i = index + 1; i < cgroups.length && cgroups[i].depth > depth; i++) for (const pid of cgroups[i].procs ?? []) members.add(pid);
  return members;
}

/** A cgroup's row from its files alone (no members): charge, limits, headroom, peak, OOM events. */
export function rowOf(files: CgroupFiles, version: 1 | 2): CgroupRow {
  const row: CgroupRow = { path: files.path, depth: files.depth, version, limits: files.limits, unreadable: files.unreadable };
  if (version === 2 && files.statV2 !== undefined && files.current !== undefined) row.charge = chargePartsV2(files.current, files.statV2);
  if (version === 1 && files.statV1 !== undefined) row.charge = chargePartsV1(files.statV1, files.kmem, files.usage);
  // The kernel holds the limit against its own counter: v2 memory.current, v1 usage_in_bytes (not the charge from the stats).
  const counter = version === 2 ? files.current : files.usage;
  const max = files.limits.max;
  if (typeof max === 'number' && counter !== undefined) {
    row.headroom = max - counter;
    row.headroomPercent = max === 0 ? 0 : Math.round((row.headroom / max) * 1000) / 10;
  }
  if (files.peak !== undefined) row.peak = files.peak;
  if (files.oom !== undefined) row.oom = files.oom;
  return row;
}

/**
 * The rows `footprint cgroups` shows: every cgroup whose memory files were
 * read, with its processes' side where the scan's samples are given (a
 * captured cgroup tree without its /proc has none: membership unknown).
 */
export function buildCgroupRows(
  tree: CgroupTree, samples: ReadonlyMap<number, ProcessSample> | undefined, unmeasured: UnmeasuredMembers = { kernelThreads: new Set(), candidates: new Map() },
  observer?: number,
): CgroupRow[] {
  const rows: CgroupRow[] = [];
  // The next victim is weighed among every member whose oom_score was read, measured or not;
  // never footprint itself (`observer`): a member charged like any other, but gone once it has answered.
  const candidates = new Map<number, OomCandidate>([...unmeasured.candidates, ...(samples ?? [])]);
  if (observer !== undefined) candidates.delete(observer);
  tree.cgroups.forEach((files, index) => {
    if (!files.read) return;
    const row = rowOf(files, tree.version);
    if (samples !== undefined && files.procs !== undefined) {
      const members = subtreeMembers(tree.cgroups, index);
      row.held = heldByMembers(members, samples, unmeasured.kernelThreads);
      const victim = nextVictim(members, candidates);
      if (victim !== undefined) row.nextVictim = victim;
    }
    rows.push(row);
  });
  return rows;
}
