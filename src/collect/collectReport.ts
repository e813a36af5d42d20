import { ProcReader } from '../kernel/procReader.js';
import { scanProcesses, type ScanOptions } from '../scan/scanProcesses.js';
import type { ScanPartner } from '../scan/scanPartner.js';
import { readKernelTasks } from '../scan/procHiding.js';
import { buildReport, readTimesOf, type ReportView } from '../reduce/buildReport.js';
import { needsCommandLine } from '../reduce/programName.js';
import type { ScanResult } from '../model/processSample.js';
import { escapeText } from '../render/escapeText.js';
import { machineContext, openProcRoot, type MachineContext, type Warn } from './machineContext.js';
import { scanWithStrategy } from './scanStrategy.js';
import { addCgroups } from '../cgroups/reportCgroups.js';
import type { ScanRequest } from './scanRequest.js';
import { matchGroups, type TextPattern } from '../reduce/matchGroups.js';
import type { ReadBudget } from './readBudget.js';
import type { KnownNames } from '../scan/knownNames.js';

/** How a report is collected: where from, where warnings go, and the partner thread, if any, that helps. */
export interface CollectSetting {
  warn: Warn;
  /** A reader per scan for commands that scan again and again: nothing of one scan is held for the next. */
  reader?: ProcReader;
  partner?: ScanPartner;
  /** A read budget (serve, watch): which processes are read exactly this scan; the others carried forward. */
  budget?: ReadBudget;
  /** Names kept from scan to scan (serve, watch): each process's exe and command line read only when new or changed. */
  names?: KnownNames;
}

/** The scan's options for a request, on this machine. */
export function scanOptionsFor(request: ScanRequest, machine: MachineContext): ScanOptions {
  return {
    pids: request.pid,
    uid: machine.uid,
    estimate: request.estimate,
    cgroups: request.group === 'cgroup',
    uids: request.group === 'user',
    // --match reads every process's name and command line, whatever the grouping.
    names: request.match !== undefined || (request.group !== 'user' && request.group !== 'cgroup'),
    needsCmdline: request.group === 'cmdline' || request.match !== undefined ? undefined : needsCommandLine,
    rollupMaxRssPages: request.rollupMaxRssPages,
    oomScores: request.oomScores ?? true,
    selfPid: machine.selfPid,
    viewerUid: process.getuid?.(),
    countSelfThreads: machine.hiding !== undefined,
    ...(request.timing === true ? { timing: true } : {}),
  };
}

/**
 * The report of a finished scan: what the /proc read hid (the kernel's task
 * count, read right after the scan, against the threads it saw), and one
 * warning line for what was malformed.
 */
function finishReport(reader: ProcReader, machine: MachineContext, scan: ScanResult, warn: Warn, match: TextPattern | undefined): ReportView {
  const view = buildReport(scan, { ...machine.context, time: new Date() });
  if (!reader.bindsProcesses) view.captured = true;
  if (match !== undefined) view.matched = matchGroups(view.report.groups, scan.samples, match);
  // A procfs given as --proc-root is live too; a captured tree has its hierarchy beside it, if capture saved one.
  addCgroups(view.report, scan.samples, reader.root, reader.bindsProcesses, machine.mountinfo);
  if (machine.hiding !== undefined) {
    const kernelTasks = readKernelTasks(reader);
    view.report.scan.hidden = kernelTasks === undefined
      ? { by: machine.hiding }
      : { by: machine.hiding, tasks: Math.max(0, kernelTasks - scan.visibleThreads) };
  }
  if (scan.counts.malformed > 0 && scan.malformedDetail !== undefined) {
    const count = scan.counts.malformed;
    // serve and watch scan again and again: their sink says the same line once (warnChangesOnly), not at every scrape.
    warn(`footprint: ${count} process${count === 1 ? '' : 'es'} left out as malformed; the first: ${escapeText(scan.malformedDetail)}\n`);
  }
  return view;
}

/** What a scan needs before it starts: the reader, the machine, its options with the budget's plan and the names kept, if any. */
function prepareScan(request: ScanRequest, setting: CollectSetting) {
  const reader = setting.reader ?? openProcRoot(request.procRoot);
  const machine = machineContext(request, reader, setting.warn);
  const options = scanOptionsFor(request, machine);
  const planned = setting.budget?.plan(reader, options);
  if (planned !== undefined) options.plan = planned.scan;
  if (setting.names !== undefined) {
    setting.names.beginScan();
    options.knownNames = setting.names;
  }
  return { reader, machine, options, planned };
}

/** Scans on the main thread alone and reduces: for save (from cron, where a second thread buys nothing) and each of watch's samples. */
export function collectReportViewNow(request: ScanRequest, setting: CollectSetting): ReportView {
  const { reader, machine, options, planned } = prepareScan(request, setting);
  const scan = scanProcesses(reader, options);
  return withBudget(finishReport(reader, machine, scan, setting.warn, request.match), scan, setting.budget, planned, request.timing);
}

/** The scan's reads folded into the budget, and what it says of them on the view. */
function withBudget(
  view: ReportView, scan: ScanResult, budget: ReadBudget | undefined, planned: Parameters<ReadBudget['record']>[1] | undefined, timing: boolean | undefined,
): ReportView {
  if (budget !== undefined && planned !== undefined) view.budget = budget.record(scan.samples, planned);
  else if (timing === true) view.readTimes = readTimesOf(scan.samples);
  return view;
}

/** Scans, the fastest way this machine and request allow (chooseStrategy), and reduces: the report `footprint`, `--json`, serve and export share. */
export async function collectReportView(request: ScanRequest, setting: CollectSetting): Promise<ReportView> {
  const { reader, machine, options, planned } = prepareScan(request, setting);
  const scan = await scanWithStrategy(reader, options, setting.partner);
  return withBudget(finishReport(reader, machine, scan, setting.warn, request.match), scan, setting.budget, planned, request.timing);
}
