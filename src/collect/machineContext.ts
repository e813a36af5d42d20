import { hostname, release } from 'node:os';
import { parseMeminfo } from '../kernel/procfs/meminfo.js';
import { parseZoneinfo, type Zoneinfo } from '../kernel/procfs/zoneinfo.js';
import { ProcReader } from '../kernel/procReader.js';
import { LIVE_PROC } from '../kernel/livePaths.js';
import { readUserNames } from '../kernel/userNames.js';
import { readHidingOption, readSelfPid } from '../scan/procHiding.js';
import { readLiveMountinfo } from '../kernel/liveMountinfo.js';
import { describeReadFailure } from '../kernel/readFailure.js';
import { readPageSize } from '../scan/pageSize.js';
import type { ReportContext } from '../reduce/buildReport.js';
import { RuntimeFailure, UsageError } from '../errors.js';
import type { ScanRequest } from './scanRequest.js';

/** Where collection says what it could not use (a zoneinfo that does not parse, malformed processes): one line each. */
export type Warn = (line: string) => void;

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
function readZoneinfo(reader: ProcReader, warn: Warn): Zoneinfo | undefined {
  const text = reader.read('zoneinfo');
  if (!text.ok) return undefined;
  const zoneinfo = parseZoneinfo(text.text);
  if (zoneinfo.ok) return zoneinfo.value;
  // Line and reason, never the line itself: a captured tree's text may be anything.
  warn(`footprint: ${reader.path('zoneinfo')} line ${zoneinfo.error.line}: ${zoneinfo.error.reason}; the kernel reserve is left unknown\n`);
  return undefined;
}

/**
 * --rollup-max-rss (bytes) in the tree's pages, which stat counts RSS in (see
 * readPageSize), once, by serve and export at their start.
 */
export function rollupCeilingPages(reader: ProcReader, bytes: number | undefined): number | undefined {
  if (bytes === undefined) return undefined;
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

/** The machine's side of a report, read just before its scan. */
export interface MachineContext {
  /** The report's context but its time (taken when the scan is done). */
  context: Omit<ReportContext, 'time'>;
  /** -u as a UID. */
  uid?: number;
  /** footprint's own PID in the tree read: left out of the scan. */
  selfPid?: number;
  /** The mount option that hides processes from this scan (see readHidingOption); not for -p. */
  hiding?: string;
  /** The live /proc/self/mountinfo, read once for a procfs (hidepid, and where the memory cgroups are mounted); undefined for a captured tree. */
  mountinfo?: string;
}

export function machineContext(request: ScanRequest, reader: ProcReader, warn: Warn): MachineContext {
  const live = request.procRoot === undefined;
  const userNames = readUserNames();
  const uid = request.user === undefined ? undefined : resolveUser(request.user, userNames);
  const meminfoText = reader.read('meminfo');
  if (!meminfoText.ok) throw new RuntimeFailure(describeReadFailure(meminfoText));
  const meminfo = parseMeminfo(meminfoText.text);
  if (!meminfo.ok) throw new RuntimeFailure(`${reader.path('meminfo')}: ${meminfo.error.reason}`);
  const zoneinfo = readZoneinfo(reader, warn);
  const identity = readIdentity(reader);
  const mountinfo = reader.bindsProcesses ? readLiveMountinfo(reader) : undefined;
  const hiding = request.pid === undefined ? readHidingOption(reader, mountinfo) : undefined;
  return {
    uid,
    mountinfo,
    // A procfs given as --proc-root lists footprint too: its own PID there is its `self` link.
    selfPid: live ? process.pid : readSelfPid(reader),
    hiding,
    context: { ...identity, groupBy: request.group, meminfo: meminfo.value, zoneinfo, userNames },
  };
}

/** MemAvailable now, for the end of a watch (its summary's headroom); undefined when meminfo cannot be read or parsed. */
export function readMemAvailable(reader: ProcReader): number | undefined {
  const text = reader.read('meminfo');
  const meminfo = text.ok ? parseMeminfo(text.text) : undefined;
  return meminfo?.ok === true ? meminfo.value.MemAvailable : undefined;
}
