import { parseCgroupPath } from '../procfs/cgroup.js';
import { parseCmdline } from '../procfs/cmdline.js';
import type { ProcessStat } from '../procfs/stat.js';
import type { ProcessStatus } from '../procfs/status.js';
import type { ProcessSample } from '../model/processSample.js';
import type { ProcReader } from './procReader.js';

export type ProcessIdentity = Omit<ProcessSample, 'counters' | 'estimated'>;

const DELETED = ' (deleted)';

/** Who a process is: exe, command line and (when asked) cgroup, beside what stat and status said. */
export function readProcessIdentity(
  reader: ProcReader, pid: number, stat: ProcessStat, status: ProcessStatus, withCgroup: boolean,
): ProcessIdentity {
  const exe = reader.readLink(`${pid}/exe`);
  const exeDeleted = exe.ok && exe.target.endsWith(DELETED);
  const cmdline = reader.read(`${pid}/cmdline`);
  const identity: ProcessIdentity = {
    pid,
    startTime: stat.startTime,
    ppid: stat.ppid,
    uid: status.uids[0],
    statusName: status.name,
    exe: exe.ok ? (exeDeleted ? exe.target.slice(0, -DELETED.length) : exe.target) : undefined,
    exeDeleted,
    cmdline: cmdline.ok ? parseCmdline(cmdline.text) : [],
  };
  if (withCgroup) {
    const cgroup = reader.read(`${pid}/cgroup`);
    if (cgroup.ok) identity.cgroup = parseCgroupPath(cgroup.text);
  }
  return identity;
}
