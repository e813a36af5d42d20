import { hostname, release } from 'node:os';
import { readFileSync } from 'node:fs';
import { parseMeminfo } from '../procfs/meminfo.js';
import { parseZoneinfo, type Zoneinfo } from '../procfs/zoneinfo.js';
import { writeStderr } from './output.js';
import { parsePasswd } from '../procfs/passwd.js';
import { ProcReader } from '../scan/procReader.js';
import { scanProcesses, scanProcessesAhead, type ScanOptions } from '../scan/scanProcesses.js';
import type { ScanPartner } from '../scan/scanPartner.js';
import { buildReport, type ReportContext, type ReportView } from '../reduce/buildReport.js';
import type { Report } from '../model/report.js';
import type { ScanResult } from '../model/processSample.js';
import { readHidingOption, readKernelTasks, readSelfPid } from '../scan/procHiding.js';
import { escapeText } from '../render/escapeText.js';
import type { ScanArgs } from './reportOptions.js';
import { RuntimeFailure, UsageError } from '../errors.js';
import { describeReadFailure } from '../scan/readFailure.js';
import { needsCommandLine } from '../reduce/programName.js';
import { readPageSize } from '../scan/pageSize.js';
import { parseSize } from './sizeArgs.js';

const LIVE_PROC = '/proc';

/** Opens the tree to read: /proc, or a captured tree that must look like one. */
export function openProcRoot(procRoot: string | undefined): ProcReader {
  const reader = new ProcReader(procRoot ?? LIVE_PROC);
  if (procRoot !== undefined) {
    const meminfo = reader.read('meminfo');
    if (!meminfo.ok || !parseMeminfo(meminfo.text).ok) {
      throw new UsageError(`--proc-root ${procRoot}: not a /proc tree (no readable meminfo)`);
    }
  }
  return reader;
}

export function readUserNames(): Map<number, string> {
  try {
    return parsePasswd(readFileSync('/etc/passwd', 'latin1'));
  } catch {
    return new Map();
  }
}

export function resolveUser(user: string, userNames: ReadonlyMap<number, string>): number {
  if (/^\d+$/.test(user)) return Number(user);
  for (const [uid, name] of userNames) if (name === user) return uid;
  throw new UsageError(`--user: no such user "${user}"`);
}

/**
 * /proc/zoneinfo, read right after meminfo so that the two agree: the kernel
 * reserve and the cache MemAvailable holds back come from it. A tree without it
 * (a capture made before footprint saved it) leaves those parts unknown; text
 * that does not parse does too, with a warning, rather than failing the report.
 */
function readZoneinfo(reader: ProcReader): Zoneinfo | undefined {
  const text = reader.read('zoneinfo');
  if (!text.ok) return undefined;
  const zoneinfo = parseZoneinfo(text.text);
  if (zoneinfo.ok) return zoneinfo.value;
  // Line and reason, never the line itself: a captured tree's text may be anything.
  writeStderr(`footprint: ${reader.path('zoneinfo')} line ${zoneinfo.error.line}: ${zoneinfo.error.reason}; the kernel reserve is left unknown\n`);
  return undefined;
}

/**
 * --rollup-max-rss in the tree's pages, which stat counts RSS in (see
 * readPageSize), once, by serve and export at their start.
 */
export function readRollupCeiling(reader: ProcReader, size: string | undefined): number | undefined {
  if (size === undefined) return undefined;
  const bytes = parseSize('--rollup-max-rss', size);
  const pageSize = readPageSize(reader, reader.bindsProcesses ? process.pid : undefined);
  if (pageSize === undefined) throw new RuntimeFailure(`--rollup-max-rss: the page size of ${reader.root} is unknown (no process with a readable stat and status)`);
  return Math.floor(bytes / pageSize);
}

/** Host and kernel of the tree read: the live machine's, or the captured ones. */
function readIdentity(reader: ProcReader): { host: string; kernel: string } {
  const host = reader.read('sys/kernel/hostname');
  const kernel = reader.read('sys/kernel/osrelease');
  return {
    host: host.ok ? host.text.trim() : hostname(),
    kernel: kernel.ok ? kernel.text.trim() : release(),
  };
}

/** What a scan needs before it starts: its options, and the machine's figures read just before it. */
interface PreparedScan {
  options: ScanOptions;
  context: Omit<ReportContext, 'time'>;
  /** The mount option that hides processes from this scan (see readHidingOption); not for -p. */
  hiding?: string;
}

function prepareScan(args: ScanArgs, reader: ProcReader): PreparedScan {
  const live = args.procRoot === undefined;
  const userNames = readUserNames();
  const uid = args.user === undefined ? undefined : resolveUser(args.user, userNames);
  const meminfoText = reader.read('meminfo');
  if (!meminfoText.ok) throw new RuntimeFailure(describeReadFailure(meminfoText));
  const meminfo = parseMeminfo(meminfoText.text);
  if (!meminfo.ok) throw new RuntimeFailure(`${reader.path('meminfo')}: ${meminfo.error.reason}`);
  const zoneinfo = readZoneinfo(reader);
  const identity = readIdentity(reader);
  const hiding = args.pid === undefined ? readHidingOption(reader) : undefined;
  return {
    hiding,
    options: {
      pids: args.pid,
      uid,
      estimate: args.estimate,
      cgroups: args.group === 'cgroup',
      uids: args.group === 'user',
      names: args.group !== 'user' && args.group !== 'cgroup',
      needsCmdline: args.group === 'cmdline' ? undefined : needsCommandLine,
      rollupMaxRssPages: args.rollupMaxRssPages,
      // A procfs given as --proc-root lists footprint too: its own PID there is its `self` link.
      selfPid: live ? process.pid : readSelfPid(reader),
      viewerUid: process.getuid?.(),
      countSelfThreads: hiding !== undefined,
    },
    context: { ...identity, groupBy: args.group, meminfo: meminfo.value, zoneinfo, userNames },
  };
}

let lastMalformedWarning: string | undefined;

/**
 * The report of a finished scan: what the /proc read hid (the kernel's task
 * count, read right after the scan, against the threads it saw), and one
 * warning line for what was malformed.
 */
function finishReport(reader: ProcReader, prepared: PreparedScan, scan: ScanResult): ReportView {
  const view = buildReport(scan, { ...prepared.context, time: new Date() });
  if (prepared.hiding !== undefined) {
    const kernelTasks = readKernelTasks(reader);
    view.report.scan.hidden = kernelTasks === undefined
      ? { by: prepared.hiding }
      : { by: prepared.hiding, tasks: Math.max(0, kernelTasks - scan.visibleThreads) };
  }
  if (scan.counts.malformed > 0 && scan.malformedDetail !== undefined) {
    const count = scan.counts.malformed;
    const warning = `footprint: ${count} process${count === 1 ? '' : 'es'} left out as malformed; the first: ${escapeText(scan.malformedDetail)}\n`;
    // serve and watch scan again and again: the same warning once, not at every scrape.
    if (warning !== lastMalformedWarning) writeStderr(warning);
    lastMalformedWarning = warning;
  }
  return view;
}

/** Scans and reduces: the report `footprint`, `--json` and `save` share. */
export function collectReportView(args: ScanArgs, reader = openProcRoot(args.procRoot)): ReportView {
  const prepared = prepareScan(args, reader);
  const scan = scanProcesses(reader, prepared.options);
  return finishReport(reader, prepared, scan);
}

export function collectReport(args: ScanArgs): Report {
  return collectReportView(args).report;
}

/**
 * A whole-machine scan by root reads every process's smaps_rollup: have the
 * reader fetch them ahead, in parallel, and scan each as it comes
 * (scanProcessesAhead), with status where the scan wants UIDs (-u, --group
 * user). Not for -p (a few processes), nor for other users, who may read few of
 * them.
 */
export async function collectReportViewAhead(args: ScanArgs, reader = openProcRoot(args.procRoot), partner?: ScanPartner): Promise<ReportView> {
  if (args.pid !== undefined || !reader.readsAhead) return collectReportView(args, reader);
  if (partner === undefined && process.getuid?.() !== 0) return collectReportView(args, reader);
  const prepared = prepareScan(args, reader);
  let scan;
  try {
    scan = partner !== undefined ? await partner.scan(reader, prepared.options) : await scanProcessesAhead(reader, prepared.options, {
      status: args.user !== undefined || args.group === 'user', uid: prepared.options.uid, rollupMaxRssPages: args.rollupMaxRssPages,
    });
  } finally {
    reader.releaseAhead();
  }
  return finishReport(reader, prepared, scan);
}
