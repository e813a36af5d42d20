import { isKernelThread, parseStat } from '../procfs/stat.js';
import type { ProcReader } from '../scan/procReader.js';

/**
 * Of these PIDs (members the scan did not measure), the kernel threads: they
 * sit in the root cgroup, own no memory and are no one's processes, so they are
 * left out of a cgroup's process count rather than shown as unmeasured. One
 * stat read each (world-readable); an unreadable or vanished one is not a
 * kernel thread as far as anyone can tell.
 */
export function findKernelThreads(reader: ProcReader, pids: Iterable<number>): Set<number> {
  const threads = new Set<number>();
  for (const pid of pids) {
    const text = reader.read(`${pid}/stat`);
    if (!text.ok) continue;
    const stat = parseStat(text.text);
    if (stat.ok && isKernelThread(stat.value)) threads.add(pid);
  }
  return threads;
}
