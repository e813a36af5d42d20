import { LIVE_CGROUP } from '../kernel/livePaths.js';
import { memoryCgroupOf } from '../kernel/cgroupfs/cgroupMounts.js';
import { CgroupReader } from '../kernel/cgroupReader.js';
import { checkMayMakeCgroupIn, hasCgroupFile, makeCgroup, removeCgroup, writeCgroupFile } from '../kernel/cgroupControl.js';
import { isProcessAlive } from '../kernel/isProcessAlive.js';
import { runChargeOf, type CgroupCharge } from './core/runCharge.js';

/**
 * A memory cgroup of the run's own: a fresh child of footprint's memory cgroup,
 * so that every process CMD starts, a double-forked daemon too, is a member, and
 * the kernel's own peak charge of them all can be read. The kernel charges page
 * cache and kernel memory (page tables, stacks, slab) too: that is the cgroup's
 * charge, not writable memory.
 */
export interface RunCgroup {
  version: 1 | 2;
  /** The run's cgroup directory. */
  dir: string;
  /** footprint's own (memory) cgroup directory: where members go back before the run's is removed. */
  home: string;
  /** The run's cgroup's files, read bounded through the kernel room. */
  files: CgroupReader;
}

export type { CgroupCharge } from './core/runCharge.js';

export type CgroupOutcome = { ok: true; cgroup: RunCgroup } | { ok: false; reason: string };

/** footprint's memory cgroup from /proc/self/cgroup: the v1 line whose controllers include memory, else the v2 line. */
export function ownMemoryCgroup(selfCgroup: string): { version: 1 | 2; path: string } | undefined {
  const v1 = memoryCgroupOf(selfCgroup, 1);
  if (v1 !== undefined) return { version: 1, path: v1 };
  const v2 = memoryCgroupOf(selfCgroup, 2);
  return v2 === undefined ? undefined : { version: 2, path: v2 };
}

/**
 * Makes `footprint-run-ID` under footprint's own memory cgroup. Without the
 * right to (not root, no delegated subtree), or where its memory files do not
 * appear (v2 with the controller not enabled for children), the reason.
 */
export function createRunCgroup(id: string, selfCgroup: string, root = LIVE_CGROUP): CgroupOutcome {
  const own = ownMemoryCgroup(selfCgroup);
  if (own === undefined) return { ok: false, reason: 'footprint is in no memory cgroup' };
  const home = own.version === 1 ? `${root}/memory${own.path}` : `${root}${own.path === '/' ? '' : own.path}`;
  const denied = checkMayMakeCgroupIn(home);
  if (denied !== undefined) return { ok: false, reason: `may not make a cgroup under ${home} (${denied.code})` };
  removeStaleRunCgroups(home);
  const dir = `${home}/footprint-run-${id}`;
  const notMade = makeCgroup(dir);
  if (notMade !== undefined) return { ok: false, reason: `cannot make ${dir} (${notMade.code})` };
  const cgroup: RunCgroup = { version: own.version, dir, home, files: new CgroupReader(dir) };
  const peakFile = own.version === 1 ? 'memory.max_usage_in_bytes' : 'memory.peak';
  if (!hasCgroupFile(`${dir}/${peakFile}`)) {
    removeRunCgroup(cgroup);
    return { ok: false, reason: `${dir} has no ${peakFile} (the memory controller is not enabled for its children, or the kernel is older than 5.19)` };
  }
  return { ok: true, cgroup };
}

/**
 * Run cgroups left by a footprint that was killed (SIGKILL gives it no chance to
 * remove its own): empty ones whose footprint PID no longer exists are removed. One
 * whose PID is alive (perhaps reused) is left alone; rmdir refuses one that holds processes.
 */
function removeStaleRunCgroups(home: string): void {
  const names = new CgroupReader(home).children('');
  if (!Array.isArray(names)) return;
  for (const name of names) {
    const match = /^footprint-run-(\d+)-[0-9a-f]+$/.exec(name);
    // Not removed when not empty, or not ours to remove.
    if (match !== null && !isProcessAlive(Number(match[1]))) removeCgroup(`${home}/${name}`);
  }
}

/**
 * Moves footprint's calling thread (the one that forks CMD: a child starts in its
 * forking thread's cgroup) into `dir`, or back home; the reason when it cannot. On v1
 * this writes "0" to `tasks`: moving the calling thread itself skips the kernel's global
 * threadgroup lock, whose write side waits for an RCU grace period (measured here: 0.2 ms
 * against 10-14 ms for moving the process through cgroup.procs). v2 has no per-thread
 * move outside threaded cgroups: there the whole process moves.
 */
export function moveSelfToCgroup(cgroup: RunCgroup, dir: string): string | undefined {
  if (cgroup.version === 1) {
    // Refused by an older kernel or another hierarchy: the whole process, below.
    if (writeCgroupFile(`${dir}/tasks`, '0') === undefined) return undefined;
  }
  return moveToCgroup(dir, process.pid);
}

/** Moves a process (and all its threads) into the run's cgroup, or back home; the reason when it cannot. */
export function moveToCgroup(dir: string, pid: number): string | undefined {
  const refused = writeCgroupFile(`${dir}/cgroup.procs`, String(pid));
  return refused === undefined ? undefined : `cannot move PID ${pid} into ${dir} (${refused.code})`;
}

/** The PIDs the run's cgroup holds now; undefined when it cannot be read. */
export function cgroupPids(cgroup: RunCgroup): number[] | undefined {
  const procs = cgroup.files.read('cgroup.procs');
  if (!procs.ok) return undefined;
  const pids: number[] = [];
  for (const line of procs.text.split('\n')) if (/^\d+$/.test(line)) pids.push(Number(line));
  return pids;
}

function readNumber(files: CgroupReader, name: string): number | undefined {
  const read = files.read(name);
  if (!read.ok) return undefined;
  const value = Number(read.text.trim());
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** The kernel's peak charge and memory.stat of the run's cgroup; undefined when its files cannot be read. */
export function readCgroupCharge(cgroup: RunCgroup): CgroupCharge | undefined {
  const source = cgroup.version === 1 ? 'memory.max_usage_in_bytes' : 'memory.peak';
  const peak = readNumber(cgroup.files, source);
  const stat = cgroup.files.read('memory.stat');
  if (!stat.ok || peak === undefined) return undefined;
  // v1's kernel memory is memory.kmem.usage_in_bytes; v2's is in memory.stat.
  const kmem = cgroup.version === 1 ? readNumber(cgroup.files, 'memory.kmem.usage_in_bytes') : undefined;
  return runChargeOf(cgroup.version, stat.text, { peak, kmem, source });
}

/**
 * Removes the run's cgroup: whatever it still holds (a daemon CMD left behind, or
 * footprint itself if it never got out) goes back to footprint's cgroup first, as
 * if the run had had no cgroup. The reason when it could not be removed.
 */
export function removeRunCgroup(cgroup: RunCgroup): string | undefined {
  let last = '';
  // A member may fork while it is being moved: its child lands in the run's cgroup; a few rounds catch it.
  for (let round = 0; round < 20; round++) {
    for (const pid of cgroupPids(cgroup) ?? []) moveToCgroup(cgroup.home, pid);
    const refused = removeCgroup(cgroup.dir);
    if (refused === undefined || refused.gone) return undefined;
    last = refused.code;
    if (!refused.busy) break;
  }
  return `cannot remove ${cgroup.dir} (${last})`;
}
