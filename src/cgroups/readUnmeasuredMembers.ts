import { isKernelThread, parseStat } from '../kernel/procfs/stat.js';
import type { ProcReader } from '../kernel/procReader.js';
import { readOomScore } from '../scan/readOomScore.js';
import type { OomCandidate } from './core/nextVictim.js';
import type { UnmeasuredMembers } from './core/model.js';
export type { UnmeasuredMembers } from './core/model.js';

/**
 * Of these PIDs (members the scan did not measure: other users' processes, as
 * a user), what is world-readable all the same: stat, which tells a kernel
 * thread and gives the name, and oom_score, so that a cgroup's next victim is
 * weighed among all its members, not only those footprint could measure. An
 * unreadable or vanished one is neither a kernel thread nor a candidate as far
 * as anyone can tell.
 */
export function readUnmeasuredMembers(reader: ProcReader, pids: Iterable<number>): UnmeasuredMembers {
  const kernelThreads = new Set<number>();
  const candidates = new Map<number, OomCandidate>();
  for (const pid of pids) {
    const text = reader.read(`${pid}/stat`);
    if (!text.ok) continue;
    const stat = parseStat(text.text);
    if (!stat.ok) continue;
    if (isKernelThread(stat.value)) {
      kernelThreads.add(pid);
      continue;
    }
    const facts = readOomScore(reader, pid);
    if (facts.oomScore !== undefined) candidates.set(pid, { pid, statusName: stat.value.comm, ...facts });
  }
  return { kernelThreads, candidates };
}
