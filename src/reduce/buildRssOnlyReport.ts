import type { ProcessSample } from '../model/processSample.js';
import { REPORT_SCHEMA, type Report } from '../model/report.js';
import { groupProcesses } from './groupProcesses.js';
import { rankGroups } from './rankGroups.js';
import { TOOL_NAME } from '../version.js';

/** The report of the off-Linux fallback: only RSS is known, everything else is zero. */
export function buildRssOnlyReport(
  samples: ProcessSample[], scan: { gone: number; ms: number }, identity: { host: string; kernel: string; time: Date },
): Report {
  const groups = rankGroups(groupProcesses(samples, 'program'), 'rss');
  const rss = groups.reduce((sum, group) => sum + group.rss, 0);
  return {
    schema: REPORT_SCHEMA, tool: TOOL_NAME, host: identity.host, kernel: identity.kernel, time: identity.time.toISOString(),
    source: 'rss-only', groupBy: 'program',
    scan: { seen: samples.length + scan.gone, measured: samples.length, kernelThreads: 0, denied: 0, gone: scan.gone, zombies: 0, estimated: 0, ms: scan.ms },
    groups,
    totals: { writable: 0, private: 0, shared: 0, ram: 0, pss: 0, rss, swap: 0 },
    system: { memTotal: 0, memAvailable: 0, used: 0, shmem: 0, accounted: 0 },
  };
}
