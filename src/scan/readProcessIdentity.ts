import { parseCgroupPath } from '../kernel/procfs/cgroup.js';
import { memoryCgroupOf } from '../kernel/cgroupfs/cgroupMounts.js';
import { parseCmdline } from '../kernel/procfs/cmdline.js';
import { execMarks, type ProcessStat } from '../kernel/procfs/stat.js';
import type { KnownNames, ProcessNames } from './knownNames.js';
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
  /** Names kept from scan to scan (serve): taken for the same process, with the stat text's exec marks, instead of read. */
  knownNames?: KnownNames;
}

/**
 * A name that cannot be read is no name (another user's exe, a capture
 * without it), but one that is crafted (a FIFO, a file where the exe link
 * was, over its cap) makes the process malformed.
 */
function refuseMalformed(failure: ReadFailure): void {
  if (failure.reason === 'malformed') fatal(failure);
}

/** The exe link and (where wanted) the command line, read. */
function readNames(reader: ProcReader, pid: number, named: boolean, wantsCmdline: (exe: string | undefined) => boolean): ProcessNames {
  const link = named ? reader.readLink(`${pid}/exe`) : undefined;
  if (link?.ok === false) refuseMalformed(link);
  const exeDeleted = link?.ok === true && link.target.endsWith(DELETED);
  const exe = link?.ok === true ? (exeDeleted ? link.target.slice(0, -DELETED.length) : link.target) : undefined;
  const cmdline = wantsCmdline(exe) ? reader.read(`${pid}/cmdline`) : undefined;
  if (cmdline?.ok === false) refuseMalformed(cmdline);
  return { exe, exeDeleted, cmdline: cmdline === undefined ? undefined : cmdline.ok ? parseCmdline(cmdline.text) : [] };
}

/**
 * Who a process is: exe, command line and (when asked) cgroup, beside what stat
 * and (where it was read) status said. Without status, the kernel's name comes
 * from stat, the same 15 characters.
 */
export function readProcessIdentity(
  reader: ProcReader, pid: number, stat: ProcessStat, status: ProcessStatus | undefined, options: IdentityOptions, statText?: string,
): ProcessIdentity {
  const named = options.names !== false;
  const statusName = status?.name ?? stat.comm;
  const wantsCmdline = (exe: string | undefined): boolean => named && (options.needsCmdline?.(exe ?? statusName) ?? true);
  const known = named ? options.knownNames : undefined;
  const marks = known !== undefined && statText !== undefined ? execMarks(statText) : undefined;
  const recalled = known?.recall(pid, stat, marks, wantsCmdline);
  const names = recalled ?? readNames(reader, pid, named, wantsCmdline);
  if (recalled === undefined) known?.keep(pid, stat, marks, names);
  const identity: ProcessIdentity = {
    pid,
    startTime: stat.startTime,
    ppid: stat.ppid,
    uid: status?.uids[0],
    statusName,
    exe: names.exe,
    exeDeleted: names.exeDeleted,
    cmdline: names.cmdline ?? [],
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
