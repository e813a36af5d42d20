import type { Meminfo } from '../procfs/meminfo.js';
import { addFigures, zeroFigures } from '../model/memoryFigures.js';
import type { ScanResult } from '../model/processSample.js';
import { REPORT_SCHEMA, type GroupBy, type Report, type ReportTotals } from '../model/report.js';
import { groupProcesses } from './groupProcesses.js';
import { rankGroups } from './rankGroups.js';
import { systemMemory, unaccountedParts, type UnaccountedPart } from './systemMemory.js';
import { TOOL_NAME } from '../version.js';

/** The report plus what the text footer says beyond the JSON contract. */
export interface ReportView {
  report: Report;
  /** Denied processes that belong to other users (the rest are denied by ptrace rules). */
  deniedOtherUsers: number;
  selfPid?: number;
  unaccounted: UnaccountedPart[];
}

export interface ReportContext {
  host: string;
  kernel: string;
  time: Date;
  groupBy: GroupBy;
  meminfo: Meminfo;
  userNames: ReadonlyMap<number, string>;
}

export function buildReport(scan: ScanResult, context: ReportContext): ReportView {
  const groups = rankGroups(groupProcesses(scan.samples, context.groupBy, context.userNames), 'writable');
  const sums = zeroFigures();
  for (const group of groups) addFigures(sums, group);
  const { privateClean: _omitted, ...totals } = sums;
  const measured = scan.samples.filter((sample) => !sample.estimated);
  const accounted = measured.reduce((sum, sample) => sum + sample.counters.pss + sample.counters.privateHugetlb, 0);
  const pssShmemKnown = measured.every((sample) => sample.counters.pssShmem !== undefined);
  const mappedShmem = pssShmemKnown ? measured.reduce((sum, s) => sum + (s.counters.pssShmem ?? 0), 0) : undefined;
  const system = systemMemory(context.meminfo, accounted);
  const unreadable = scan.counts.denied - scan.counts.estimated;
  const report: Report = {
    schema: REPORT_SCHEMA,
    tool: TOOL_NAME,
    host: context.host,
    kernel: context.kernel,
    time: context.time.toISOString(),
    source: scan.source,
    groupBy: context.groupBy,
    scan: { ...scan.counts, ms: scan.ms },
    groups,
    totals: totals as ReportTotals,
    system,
  };
  return {
    report,
    deniedOtherUsers: scan.deniedOtherUsers,
    selfPid: scan.selfPid,
    unaccounted: unaccountedParts(context.meminfo, mappedShmem, system.used - system.accounted, unreadable),
  };
}
