/**
 * Child memory cgroups for the live OOM tests (v1, root), made and removed by
 * names of any bytes and at any depth: every directory is made and removed
 * from its parent's open descriptor (through /proc/self/fd), so a path of
 * 4,600 bytes or 70 levels is no harder than one level. They are removed,
 * with everything below, by the live tests' one teardown (tearDownLive in
 * test/helpers/memoryCgroups.ts).
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canMakeMemoryCgroups, childCgroupPath, DIRECTORY, inside, MEMORY_MOUNT, type LiveLeftovers } from '../../helpers/memoryCgroups.js';

export { canMakeMemoryCgroups };

/**
 * A top cgroup of the test's own under its memory cgroup (in `left`, for the
 * teardown to remove with everything below it), limited to `limit`
 * bytes where given (memory+swap too where accounted): every cgroup below
 * shares the limit (v1 is hierarchical). Mind that each child's own kernel
 * memory (a memcg's per-CPU data) is charged to its parent: hundreds of
 * children under a small limit fill it, more so the more CPUs.
 */
export function makeTop(name: string, left: LiveLeftovers, limit?: number): { path: string; dir: string } {
  const path = childCgroupPath(`${name}-${process.pid}`);
  const dir = join(MEMORY_MOUNT, path);
  mkdirSync(dir);
  left.cgroups.push(dir);
  if (limit !== undefined) limitCgroup(dir, limit);
  return { path, dir };
}

/** Limits a cgroup to `limit` bytes, memory+swap too where swap is accounted (so pages cannot go to swap instead). */
export function limitCgroup(dir: string, limit: number): void {
  writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limit));
  try {
    writeFileSync(join(dir, 'memory.memsw.limit_in_bytes'), String(limit));
  } catch { /* swap not accounted: nothing to limit */ }
}

/** Makes the chain of cgroups `names` (bytes each) under `dir`, one inside the other. */
export function makeChain(dir: string, names: Buffer[]): void {
  let fd = openSync(dir, DIRECTORY);
  try {
    for (const name of names) {
      try {
        mkdirSync(inside(fd, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const child = openSync(inside(fd, name), DIRECTORY);
      closeSync(fd);
      fd = child;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Runs `script` in sh inside the cgroup `levels` below `dir`, where each level
 * holds a single cgroup (makeChain's): the shell goes down one level at a
 * time by listing it, so no byte of a name is lost to an argument's encoding
 * and no path it opens is long. Its PID (the same once it execs), and how it ends.
 */
export function runIn(dir: string, levels: number, script: string): { done: Promise<NodeJS.Signals | null>; pid: number } {
  // Through the open directory (fd 3): sh's own cd would join its long $PWD to the name, over PATH_MAX.
  const step = 'exec 3<. && cd -P "/proc/self/fd/3/$(ls -A | grep -a -v -e "^cgroup\\." -e "^memory\\." -e "^notify_on_release$" -e "^tasks$")"';
  const steps = Array(levels).fill(step).join(' && ');
  const shell = spawn('sh', ['-c', `cd '${dir}' ${levels === 0 ? '' : `&& ${steps}`} && echo $$ > cgroup.procs && ${script}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  shell.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const done = new Promise<NodeJS.Signals | null>((resolve, reject) => {
    shell.once('error', reject);
    shell.once('exit', (code, signal) => (signal === null && code !== 0 ? reject(new Error(`sh exited ${code}: ${stderr}`)) : resolve(signal)));
  });
  return { done, pid: shell.pid! };
}
