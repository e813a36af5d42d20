import { emptyCounters } from '../kernel/procfs/memoryCounters.js';
import type { ProcessSample } from '../model/processSample.js';

/**
 * Off Linux there is no smaps: ps-list names the processes and pidusage reads
 * each one's resident set size. RSS counts shared pages in every process that
 * maps them, so this ranking is labelled as RSS-only wherever it is shown.
 */
export async function scanRssOnly(selfPid: number): Promise<{ samples: ProcessSample[]; denied: number; gone: number }> {
  const { default: psList } = await import('ps-list');
  const { default: pidusage } = await import('pidusage');
  const processes = (await psList()).filter((p) => p.pid !== selfPid);
  const usage: Record<string, { memory: number } | undefined> = {};
  let gone = 0;
  // One call per process: pidusage fails the whole batch when a single PID has exited.
  for (const p of processes) {
    try {
      usage[p.pid] = await pidusage(p.pid);
    } catch {
      gone++;
    }
  }
  const samples: ProcessSample[] = [];
  for (const p of processes) {
    const stats = usage[p.pid];
    if (stats === undefined) continue;
    const counters = emptyCounters();
    counters.rss = stats.memory;
    samples.push({
      pid: p.pid, startTime: 0, ppid: p.ppid, uid: p.uid ?? -1, statusName: p.name,
      exe: undefined, exeDeleted: false, cmdline: p.cmd === undefined ? [] : [p.cmd], counters, estimated: false,
    });
  }
  return { samples, denied: 0, gone };
}
