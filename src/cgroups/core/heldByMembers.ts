import type { ProcessSample } from '../../model/processSample.js';
import type { HeldByMembers } from './model.js';

/**
 * The processes' side of a cgroup: its member processes (of it and its
 * descendants, as its charge covers them) summed from their smaps_rollup.
 * A member the scan could not measure (another user's, gone) is counted but
 * adds nothing: `measured` says how many did. Kernel threads are not counted.
 */
export function heldByMembers(pids: Iterable<number>, samples: ReadonlyMap<number, ProcessSample>, kernelThreads: ReadonlySet<number> = new Set()): HeldByMembers {
  const held: HeldByMembers = { processes: 0, measured: 0, writable: 0, pss: 0 };
  let pssAnon = 0;
  let pssShmem = 0;
  let everyHasPssParts = true;
  for (const pid of pids) {
    if (kernelThreads.has(pid)) continue;
    held.processes++;
    const sample = samples.get(pid);
    if (sample === undefined || sample.estimated) continue;
    held.measured++;
    const { counters } = sample;
    held.writable += counters.privateDirty;
    held.pss += counters.pss;
    if (counters.pssAnon === undefined || counters.pssShmem === undefined) everyHasPssParts = false;
    else {
      pssAnon += counters.pssAnon;
      pssShmem += counters.pssShmem;
    }
  }
  if (everyHasPssParts && held.measured > 0) {
    held.pssAnon = pssAnon;
    held.pssShmem = pssShmem;
  }
  return held;
}
