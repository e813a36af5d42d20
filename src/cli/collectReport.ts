import { hostname, release } from 'node:os';
import { readFileSync } from 'node:fs';
import { parseMeminfo } from '../procfs/meminfo.js';
import { parsePasswd } from '../procfs/passwd.js';
import { ProcReader } from '../scan/procReader.js';
import { scanProcesses, ScanFailure } from '../scan/scanProcesses.js';
import { buildReport, type ReportView } from '../reduce/buildReport.js';
import type { Report } from '../model/report.js';
import type { ScanArgs } from './reportOptions.js';
import { RuntimeFailure, UsageError } from './errors.js';
import { describeReadFailure } from '../scan/readFailure.js';
import { needsCommandLine } from '../reduce/programName.js';

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
  const identity = readIdentity(reader);
  let scan;
  try {
    scan = scanProcesses(reader, {
      pids: args.pid,
      uid,
      estimate: args.estimate,
      cgroups: args.group === 'cgroup',
      uids: args.group === 'user',
      needsCmdline: args.group === 'cmdline' ? undefined : needsCommandLine,
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
    userNames,
  });
}

export function collectReport(args: ScanArgs): Report {
  return collectReportView(args).report;
}
