import type { NextVictim, OomCandidate } from './model.js';

export type { OomCandidate } from './model.js';

/**
 * The process the kernel's OOM killer would pick first in a cgroup, from its
 * members' oom_score: the highest. The kernel's choice (oom_evaluate_task in
 * mm/oom_kill.c) walks the cgroup and its descendants (mem_cgroup_scan_tasks:
 * the cgroup first, then its descendants, each one's processes in
 * cgroup.procs' order) and skips kernel threads, init and any process whose
 * oom_score_adj is -1000; a process scoring the same as the one chosen so far
 * replaces it, so of equal scores the last one walked is taken. `members` comes
 * in that walk's order as footprint reads it (a v1 cgroup.procs is sorted by
 * PID, and siblings come by name, not by creation as the kernel keeps them):
 * where scores tie, `tied` says how many share the top, and the pick is then
 * footprint's best reading of the walk, not certain.
 *
 * Two caveats said in the README: oom_score is scaled against the whole
 * machine (RAM + swap), while a cgroup's own OOM weighs oom_score_adj against
 * the cgroup's limit instead, so members with different adjustments may rank
 * differently there; and the score is rounded, so two equal scores may not be
 * equal badness. Undefined where no member has a known score.
 */
export function nextVictim(members: Iterable<number>, candidates: ReadonlyMap<number, OomCandidate>): NextVictim | undefined {
  let chosen: OomCandidate | undefined;
  let tied = 0;
  let scored = 0;
  for (const pid of members) {
    const sample = candidates.get(pid);
    if (sample?.oomScore === undefined) continue;
    scored++;
    // pid 1 is never picked (oom_unkillable_task), nor an exempt one.
    if (sample.oomExempt || pid === 1) continue;
    if (chosen === undefined || sample.oomScore > chosen.oomScore!) {
      chosen = sample;
      tied = 1;
    } else if (sample.oomScore === chosen.oomScore) {
      chosen = sample;
      tied++;
    }
  }
  if (scored === 0) return undefined;
  if (chosen === undefined) return { pid: null, scored };
  const victim: NextVictim = { pid: chosen.pid, name: chosen.statusName, oomScore: chosen.oomScore!, scored };
  if (tied > 1) victim.tied = tied;
  return victim;
}
