import { parseCgroupPath } from '../kernel/procfs/cgroup.js';
import { memoryCgroupOf } from '../kernel/cgroupfs/cgroupMounts.js';
import { parseCmdline } from '../kernel/procfs/cmdline.js';
import type { ProcessStat } from '../kernel/procfs/stat.js';
import type { ProcessStatus } from '../kernel/procfs/status.js';
import type { ProcessSample } from '../model/processSample.js';
import type { ProcReader } from '../kernel/procReader.js';
import type { ReadFailure } from '../kernel/readFailure.js';
import { fatal } from './readStat.js';
import { readOomScore } from './readOomScore.js';

export type ProcessIdentity = Omit<ProcessSample, 'counters' | 'estimated'>;

const DELETED = ' (deleted)';

export interface IdentityOptions {
  cgroups: boolean;
  /** Read oom_score (default: yes). */
  oomScores?: boolean;
  /** Given the exe path (else the kernel's name): whether to read the command line. */
  needsCmdline?: (exeOrName: string) => boolean;
  /** false: no exe nor command line (a grouping that names no program). */
  names?: boolean;
}

/**
 * A name that cannot be read is no name (another user's exe, a capture
 * without it), but one that is crafted (a FIFO, a file where the exe link
 * was, over its cap) makes the process malformed.
 */
function refuseMalformed(failure: ReadFailure): void {
  if (failure.reason === 'malformed') fatal(failure);
}

/**
 * Who a process is: exe, command line and (when asked) cgroup, beside what stat
 * and (where it was read) status said. Without status, the kernel's name comes
 * from stat, the same 15 characters.
 */
export function readProcessIdentity(
  reader: ProcReader, pid: number, stat: ProcessStat, status: ProcessStatus | undefined, options: IdentityOptions,
): ProcessIdentity {
  const named = options.names !== false;
  const link = named ? reader.readLink(`${pid}/exe`) : undefined;
  if (link?.ok === false) refuseMalformed(link);
  const exeDeleted = link?.ok === true && link.target.endsWith(DELETED);
  const exe = link?.ok === true ? (exeDeleted ? link.target.slice(0, -DELETED.length) : link.target) : undefined;
  const statusName = status?.name ?? stat.comm;
  const wantsCmdline = named && (options.needsCmdline?.(exe ?? statusName) ?? true);
  const cmdline = wantsCmdline ? reader.read(`${pid}/cmdline`) : undefined;
  if (cmdline?.ok === false) refuseMalformed(cmdline);
  const identity: ProcessIdentity = {
    pid,
    startTime: stat.startTime,
    ppid: stat.ppid,
    uid: status?.uids[0],
    statusName,
    exe,
    exeDeleted,
    cmdline: cmdline?.ok === true ? parseCmdline(cmdline.text) : [],
  };
  if (options.cgroups) {
    const cgroup = reader.read(`${pid}/cgroup`);
    if (cgroup.ok) {
      identity.cgroup = parseCgroupPath(cgroup.text);
      // The group's name may be systemd's hierarchy (v1); its charge is the memory controller's cgroup.
      identity.memoryCgroup = { v1: memoryCgroupOf(cgroup.text, 1), v2: memoryCgroupOf(cgroup.text, 2) };
    }
    else refuseMalformed(cgroup);
  }
  if (options.oomScores !== false) {
    const oom = readOomScore(reader, pid);
    if (oom.crafted !== undefined) refuseMalformed(oom.crafted);
    if (oom.oomScore !== undefined) identity.oomScore = oom.oomScore;
    if (oom.oomExempt) identity.oomExempt = true;
  }
  return identity;
}
