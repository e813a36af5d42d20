import type { Meminfo } from '../kernel/procfs/meminfo.js';
import type { Zoneinfo } from '../kernel/procfs/zoneinfo.js';
import { addFigures, zeroFigures } from '../model/memoryFigures.js';
import { FIGURE_SPECS } from '../model/figures.js';
import type { ProcessSample, ScanResult } from '../model/processSample.js';
import { REPORT_SCHEMA, type GroupBy, type ProgramGroup, type Report, type ReportTotals } from '../model/report.js';
import { groupProcesses } from './groupProcesses.js';
import { rankGroups } from './rankGroups.js';
import { systemMemory } from './systemMemory.js';
import { TOOL_NAME } from '../version.js';
import type { BudgetReport } from '../budget/budgetReport.js';

/** The report plus what the text footer says beyond the JSON contract. */
export interface ReportView {
  report: Report;
  /** Denied processes that belong to other users (the rest are denied by ptrace rules). */
  deniedOtherUsers: number;
  /** Measured processes over the --rollup-max-rss ceiling, estimated from status. */
  overRollupCeiling: number;
  selfPid?: number;
  /** The tree read is a capture: what it lacks is what the user who captured could not read, not the user reading it now. */
  captured?: boolean;
  /** PIDs asked for (-p) that were not there. */
  absentPids?: number[];
  /** --match: the groups with a member whose name or command line matches, in the report's order (report.groups stays the machine's). */
  matched?: ProgramGroup[];
  /** --timing: each process's exact read, slowest first. */
  readTimes?: ReadTime[];
  /** Under a read budget (serve, watch): each process's basis and age, the reads made and skipped (docs/budget.md). */
  budget?: BudgetReport;
}

/** How long one process's exact read (smaps_rollup) took (--timing). */
export interface ReadTime {
  pid: number;
  /** The kernel's name of it (status Name:, or stat's comm); untrusted. */
  name: string;
  readMs: number;
}

/** The exact reads of a scan, slowest first, their ms to the µs (what --timing prints). */
export function readTimesOf(samples: readonly ProcessSample[]): ReadTime[] {
  const times: ReadTime[] = [];
  for (const sample of samples) {
    if (sample.readMs !== undefined) times.push({ pid: sample.pid, name: sample.statusName, readMs: Math.round(sample.readMs * 1000) / 1000 });
  }
  return times.sort((a, b) => b.readMs - a.readMs || a.pid - b.pid);
}

export interface ReportContext {
  host: string;
  kernel: string;
  time: Date;
  groupBy: GroupBy;
  meminfo: Meminfo;
  /** Undefined where the tree has none (captures before it was saved). */
  zoneinfo?: Zoneinfo;
  userNames: ReadonlyMap<number, string>;
}

export function buildReport(scan: ScanResult, context: ReportContext): ReportView {
  const groups = rankGroups(groupProcesses(scan.samples, context.groupBy, context.userNames), 'writable');
  const sums = zeroFigures();
  for (const group of groups) addFigures(sums, group);
  // The totals hold the figures the table says are in them (privateClean and oomScore are not).
  const totals = Object.fromEntries(FIGURE_SPECS.filter((figure) => figure.inTotals).map((figure) => [figure.key, (sums as Record<string, number>)[figure.key]]));
  const measured = scan.samples.filter((sample) => !sample.estimated);
  const accounted = measured.reduce((sum, sample) => sum + sample.counters.pss + sample.counters.privateHugetlb, 0);
  const system = systemMemory(context.meminfo, context.zoneinfo, {
    accounted,
    anon: sumWhereKnown(measured, 'pssAnon'),
    shmem: sumWhereKnown(measured, 'pssShmem'),
  });
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
    totals: totals as unknown as ReportTotals,
    system,
  };
  return {
    report,
    deniedOtherUsers: scan.deniedOtherUsers,
    overRollupCeiling: scan.overRollupCeiling,
    selfPid: scan.selfPid,
    absentPids: scan.absentPids,
  };
}

/** The sum of a counter over the samples, or undefined if any lacks it (an older kernel). */
function sumWhereKnown(samples: readonly ProcessSample[], counter: 'pssAnon' | 'pssShmem'): number | undefined {
  let sum = 0;
  for (const sample of samples) {
    const value = sample.counters[counter];
    if (value === undefined) return undefined;
    sum += value;
  }
  return sum;
}
