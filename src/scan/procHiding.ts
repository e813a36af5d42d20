import { realpathSync } from 'node:fs';
import { hidingOption, mountAt, parseMountinfo } from '../kernel/procfs/mountinfo.js';
import { parseLoadavgTasks } from '../kernel/procfs/loadavg.js';
import type { ProcReader } from '../kernel/procReader.js';
import { liveReader } from '../kernel/liveMountinfo.js';
import { LIVE_PROC } from '../kernel/livePaths.js';

/**
 * The option that makes this procfs hide other users' processes (hidepid=2,
 * invisible, 4, ptraceable), from the live /proc/self/mountinfo's entry for
 * the root's mount point: the live /proc, or a procfs mounted elsewhere and
 * given as --proc-root. Undefined for a captured tree, a procfs that hides
 * nothing, a reader who may see every process (CAP_SYS_PTRACE, root), or when
 * mountinfo cannot be read. (A mount's gid= group sees every process too; it
 * is not checked: for its members the task count comes out at about 0.)
 * `mountinfo`: the live /proc/self/mountinfo's text (readLiveMountinfo).
 */
export function readHidingOption(reader: ProcReader, mountinfo: string | undefined): string | undefined {
  if (!reader.bindsProcesses) return undefined;
  const live = liveReader(reader);
  if (seesEveryProcess(live)) return undefined;
  let mountPoint: string;
  try {
    mountPoint = realpathSync(reader.root);
  } catch {
    return undefined;
  }
  if (mountinfo === undefined) return undefined;
  const entry = mountAt(parseMountinfo(mountinfo), mountPoint);
  return entry === undefined ? undefined : hidingOption(entry);
}

/** CAP_SYS_PTRACE (linux/capability.h): hidepid hides nothing from who may ptrace every process. */
const CAP_SYS_PTRACE = 19n;

/** Whether footprint holds CAP_SYS_PTRACE (root does): /proc/self/status's CapEff, in hex. */
function seesEveryProcess(live: ProcReader): boolean {
  const text = live.read('self/status');
  if (!text.ok) return false;
  const match = /^CapEff:\s+([0-9a-f]{1,16})$/m.exec(text.text);
  return match !== null && ((BigInt(`0x${match[1]}`) >> CAP_SYS_PTRACE) & 1n) === 1n;
}

/**
 * The kernel's task count (/proc/loadavg), from the root's procfs or, where a
 * subset=pid mount has no loadavg, the live /proc's (the count is the same
 * kernel's). Undefined when neither can be read.
 */
export function readKernelTasks(reader: ProcReader): number | undefined {
  for (const source of [reader, liveReader(reader)]) {
    const text = source.read('loadavg');
    if (!text.ok) continue;
    const tasks = parseLoadavgTasks(text.text);
    if (tasks.ok) return tasks.value;
  }
  return undefined;
}

/** footprint's own PID as this procfs numbers it (its `self` link), for a root that is a procfs; undefined otherwise. */
export function readSelfPid(reader: ProcReader): number | undefined {
  if (!reader.bindsProcesses) return undefined;
  if (reader.root === LIVE_PROC) return process.pid;
  const link = reader.readLink('self');
  return link.ok && /^\d{1,10}$/.test(link.target) ? Number(link.target) : undefined;
}
