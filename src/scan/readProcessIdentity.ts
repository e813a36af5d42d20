import { parseCgroupPath } from '../procfs/cgroup.js';
import { parseCmdline } from '../procfs/cmdline.js';
import type { ProcessStat } from '../procfs/stat.js';
import type { ProcessStatus } from '../procfs/status.js';
import type { ProcessSample } from '../model/processSample.js';
import type { ProcReader } from './procReader.js';

export type ProcessIdentity = Omit<ProcessSample, 'counters' | 'estimated'>;

const DELETED = ' (deleted)';

export interface IdentityOptions {
  cgroups: boolean;
  /** Given the exe path (else the kernel's name): whether to read the command line. */
  needsCmdline?: (exeOrName: string) => boolean;
  /** false: no exe nor command line (a grouping that names no program). */
  names?: boolean;
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
  const exeDeleted = link?.ok === true && link.target.endsWith(DELETED);
  const exe = link?.ok === true ? (exeDeleted ? link.target.slice(0, -DELETED.length) : link.target) : undefined;
  const statusName = status?.name ?? stat.comm;
  const wantsCmdline = named && (options.needsCmdline?.(exe ?? statusName) ?? true);
  const cmdline = wantsCmdline ? reader.read(`${pid}/cmdline`) : undefined;
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
    if (cgroup.ok) identity.cgroup = parseCgroupPath(cgroup.text);
  }
  return identity;
}
