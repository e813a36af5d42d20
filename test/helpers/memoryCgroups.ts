import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { stopChildren } from './liveProcesses.js';

/**
 * The live tests' child memory cgroups (v1, this machine's layout): where the
 * controller is mounted, whether this test may make children (root, with the
 * controller there), this process's own cgroup (the memory line of
 * /proc/self/cgroup, under which every child is made), and removal by path.
 */
export const MEMORY_MOUNT = '/sys/fs/cgroup/memory';

export const canMakeMemoryCgroups = process.getuid?.() === 0 && existsSync(join(MEMORY_MOUNT, 'memory.stat'));

/** This process's memory cgroup (v1), as a path in the hierarchy. */
export function ownMemoryCgroup(): string {
  const line = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((entry) => entry.split(':')[1]?.split(',').includes('memory'));
  if (line === undefined) throw new Error('no memory line in /proc/self/cgroup');
  return line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
}

/** A child's path in the hierarchy, under this process's own cgroup: `/own/NAME`. */
export function childCgroupPath(name: string): string {
  const parent = canMakeMemoryCgroups ? ownMemoryCgroup() : '/';
  return `${parent === '/' ? '' : parent}/${name}`;
}

/** A directory taken as it is: never through a symbolic link. */
export const DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** A name inside an open directory, as a path the kernel resolves from that directory alone (no long path, any bytes). */
export const inside = (fd: number, name: Buffer | string): Buffer => Buffer.concat([Buffer.from(`/proc/self/fd/${fd}/`), Buffer.from(name)]);

/** How long a cgroup's removal waits, by default, for its killed or exiting members to leave. */
const REMOVAL_DEADLINE_MS = 30_000;

/**
 * rmdir of a cgroup, tried again while it fails with EBUSY (a killed or exiting
 * member is still charged as a task) until `deadline`, in short waits that
 * leave the CPU (Atomics.wait), never one fixed sleep. Gone already: done.
 */
function rmdirWhenEmpty(path: string | Buffer, deadline: number): void {
  for (;;) {
    try {
      rmdirSync(path);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/**
 * Removes a cgroup `dir` and every cgroup below it, deepest first (absent:
 * nothing to do). Each is removed from its parent's open descriptor, so a
 * path of thousands of bytes or a name of any bytes is no harder than one
 * level; each waits out EBUSY within a generous deadline.
 */
export function removeCgroupDir(dir: string, deadlineMs = REMOVAL_DEADLINE_MS): void {
  const deadline = Date.now() + deadlineMs;
  let top: number;
  try {
    top = openSync(dir, DIRECTORY);
  } catch {
    return;
  }
  const removeBelow = (fd: number): void => {
    for (const entry of readdirSync(inside(fd, ''), { withFileTypes: true, encoding: 'buffer' })) {
      if (!entry.isDirectory()) continue;
      const child = openSync(inside(fd, entry.name), DIRECTORY);
      try {
        removeBelow(child);
      } finally {
        closeSync(child);
      }
      rmdirWhenEmpty(inside(fd, entry.name), deadline);
    }
  };
  try {
    removeBelow(top);
  } finally {
    closeSync(top);
  }
  rmdirWhenEmpty(dir, deadline);
}

/**
 * What a live cgroup test made, for one teardown (tearDownLive) to end and
 * remove, also when the test failed: the processes it started, the cgroups
 * (each with everything below it), the temporary directories.
 */
export interface LiveLeftovers {
  children: ChildProcess[];
  cgroups: string[];
  dirs: string[];
}

export function liveLeftovers(): LiveLeftovers {
  return { children: [], cgroups: [], dirs: [] };
}

/**
 * Ends every process the test started (by PID, SIGKILL), then removes its
 * cgroups, last made first (a member gone, rmdir can succeed), then its
 * temporary directories; each step runs even when one before it threw, and
 * the lists are emptied, so a second call does nothing. `removalDeadlineMs`:
 * how long each cgroup's removal waits for its members to leave.
 */
export async function tearDownLive(left: LiveLeftovers, removalDeadlineMs = REMOVAL_DEADLINE_MS): Promise<void> {
  try {
    await stopChildren(left.children);
  } finally {
    try {
      for (const dir of left.cgroups.splice(0).reverse()) removeCgroupDir(dir, removalDeadlineMs);
    } finally {
      for (const dir of left.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * memscript in a child cgroup from its first instruction (a shell joins the
 * cgroup, then execs it), writing `mib` MiB and then sleeping; its PID and the
 * Private_Dirty it reported of itself after writing, once it has. The process
 * is pushed onto `children`, for the caller to end by PID.
 */
export function startMemscriptIn(cgroupDir: string, memscript: string, mib: number, children: ChildProcess[]): Promise<{ pid: number; writable: number }> {
  const procs = join(cgroupDir, 'cgroup.procs');
  const script = spawn('sh', ['-c', `echo $$ > '${procs}' && exec '${memscript}' w${mib} r s600000`], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(script);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`memscript not ready after 20 s: ${err}`)), 20_000);
    script.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    script.once('exit', (code) => { clearTimeout(timer); reject(new Error(`memscript exited ${code}: ${err}`)); });
    script.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const reports = [...out.matchAll(/^report (\d+) (\d+)$/gm)];
      // Two opening reports of its own (see memscript.c), then the one after writing.
      if (reports.length < 3) return;
      clearTimeout(timer);
      resolve({ pid: Number(reports[2][1]), writable: Number(reports[2][2]) });
    });
  });
}

/** A whole-number field of a memory.stat text. */
export function statField(stat: string, key: string): number {
  const match = new RegExp(`^${key} (\\d+)$`, 'm').exec(stat);
  if (match === null) throw new Error(`no ${key} in memory.stat`);
  return Number(match[1]);
}

/** A v1 cgroup's own figures, read by the test: the charge as footprint defines it (total_rss + total_cache + kmem), the kernel's counter, the stats. */
export function cgroupFigures(cgroupDir: string) {
  const file = (name: string) => readFileSync(join(cgroupDir, name), 'utf8');
  const stat = file('memory.stat');
  const kmem = Number(file('memory.kmem.usage_in_bytes'));
  return {
    rss: statField(stat, 'total_rss'), cache: statField(stat, 'total_cache'), inactiveFile: statField(stat, 'total_inactive_file'), kmem,
    charge: statField(stat, 'total_rss') + statField(stat, 'total_cache') + kmem,
    usage: Number(file('memory.usage_in_bytes')), peak: Number(file('memory.max_usage_in_bytes')),
  };
}

/** A figure footprint read between two reads of the kernel's: between them, and exactly it where it held across both. */
export function expectBracketed(value: number, before: number, after: number): void {
  if (before === after) expect(value).toBe(before);
  else {
    expect(value).toBeGreaterThanOrEqual(Math.min(before, after));
    expect(value).toBeLessThanOrEqual(Math.max(before, after));
  }
}
