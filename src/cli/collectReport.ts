import { hostname, release } from 'node:os';
import { readFileSync } from 'node:fs';
import { parseMeminfo } from '../procfs/meminfo.js';
import { parseZoneinfo, type Zoneinfo } from '../procfs/zoneinfo.js';
import { describeParseError } from '../procfs/parseResult.js';
import { writeStderr } from './output.js';
import { parsePasswd } from '../procfs/passwd.js';
import { ProcReader } from '../scan/procReader.js';
import { scanProcesses, ScanFailure } from '../scan/scanProcesses.js';
import { buildReport, type ReportView } from '../reduce/buildReport.js';
import type { Report } from '../model/report.js';
import type { ScanArgs } from './reportOptions.js';
import { RuntimeFailure, UsageError } from './errors.js';
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
  writeStderr(`footprint: ${reader.path('zoneinfo')}: ${describeParseError(zoneinfo.error)}; the kernel reserve is left unknown\n`);
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

/** Scans and reduces: the report `footprint`, `--json` and `save` share. */
export function collectReportView(args: ScanArgs, reader = openProcRoot(args.procRoot)): ReportView {
  const live = args.procRoot === undefined;
  const userNames = readUserNames();
  const uid = args.user === undefined ? undefined : resolveUser(args.user, userNames);
  const meminfoText = reader.read('meminfo');
  if (!meminfoText.ok) throw new RuntimeFailure(describeReadFailure(meminfoText));
  const meminfo = parseMeminfo(meminfoText.text);
  if (!meminfo.ok) throw new RuntimeFailure(`${reader.path('meminfo')}: ${meminfo.error.reason}`);
  const zoneinfo = readZoneinfo(reader);
  const identity = readIdentity(reader);
  let scan;
  try {
    scan = scanProcesses(reader, {
      pids: args.pid,
      uid,
      estimate: args.estimate,
      cgroups: args.group === 'cgroup',
      uids: args.group === 'user',
      names: args.group !== 'user' && args.group !== 'cgroup',
      needsCmdline: args.group === 'cmdline' ? undefined : needsCommandLine,
      rollupMaxRssPages: args.rollupMaxRssPages,
      selfPid: live ? process.pid : undefined,
      viewerUid: process.getuid?.(),
    });
  } catch (error) {
    if (error instanceof ScanFailure) throw new RuntimeFailure(error.message);
    throw error;
  }
  return buildReport(scan, {
    ...identity,
    time: new Date(),
    groupBy: args.group,
    meminfo: meminfo.value,
    zoneinfo,
    userNames,
  });
}

export function collectReport(args: ScanArgs): Report {
  return collectReportView(args).report;
}

/**
 * A whole-machine scan by root reads every process's smaps_rollup: have the
 * reader fetch them ahead, in parallel (ProcReader.readAhead), with status where
 * the scan wants UIDs (-u, --group user). Not for -p (a few processes), nor for
 * other users, who may read few of them.
 */
async function readAhead(reader: ProcReader, args: ScanArgs): Promise<void> {
  if (args.pid !== undefined || process.getuid?.() !== 0 || !reader.bindsProcesses) return;
  let uid: number | undefined;
  try {
    uid = args.user === undefined ? undefined : resolveUser(args.user, readUserNames());
  } catch {
    return; // the scan says what is wrong with --user
  }
  const pids = reader.listPids();
  if (!Array.isArray(pids)) return;
  await reader.readAhead(pids.filter((pid) => pid !== process.pid), {
    status: args.user !== undefined || args.group === 'user', uid, rollupMaxRssPages: args.rollupMaxRssPages,
  });
}

/** collectReportView, with the processes' files read ahead where that pays (see readAhead). */
export async function collectReportViewAhead(args: ScanArgs, reader = openProcRoot(args.procRoot)): Promise<ReportView> {
  try {
    await readAhead(reader, args);
    return collectReportView(args, reader);
  } finally {
    reader.releaseAhead();
  }
}
