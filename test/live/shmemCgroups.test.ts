/**
 * `footprint shmem --by-cgroup` with a real child memory cgroup (v1): a process
 * in it makes a 4 MiB POSIX shm file, whose pages the kernel charges to that
 * cgroup (memory.stat shmem); the command puts the file under the cgroup, beside
 * that figure. The cgroup is removed, and the file, also on failure.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stopChildren } from '../helpers/liveProcesses.js';
import { canMakeMemoryCgroups, childCgroupPath, MEMORY_MOUNT, removeCgroupDir, statField } from '../helpers/memoryCgroups.js';
import { assertBuilt, footprint } from '../helpers/runFootprint.js';
import { startShmemKind } from '../holders/startShmemKind.js';

const MIB = 1024 * 1024;
const PAGE = 4096;
const TAG = `fp-cgshm-${process.pid}`;
const CGROUP = childCgroupPath(TAG);
const DIR = join(MEMORY_MOUNT, CGROUP);

interface CgroupEntry { cgroup: string; charged: number | null; held: number; objects: { kind: string; name: string; bytes: number }[] }

(canMakeMemoryCgroups ? describe : describe.skip)('shmem --by-cgroup', () => {
  const children: ChildProcess[] = [];
  let pid = 0;

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(DIR);
    const join = `echo $$ > '${DIR}/cgroup.procs' && exec "$0" "$@"`;
    pid = (await startShmemKind(['posix', `/${TAG}`, '4'], children, false, ['sh', '-c', join])).pid;
  }, 60_000);

  afterAll(async () => {
    await stopChildren(children, 'SIGTERM');
    rmSync(`/dev/shm/${TAG}`, { force: true });
    removeCgroupDir(DIR);
  });

  it('the file is under the cgroup its holder is in, beside the cgroup\'s memory.stat shmem', () => {
    const run = footprint(['shmem', '--by-cgroup', '--json', '--match', TAG]);
    expect(run.status).toBe(0);
    const document = JSON.parse(run.stdout) as { cgroups: CgroupEntry[] };
    const entry = document.cgroups.find((candidate) => candidate.cgroup === CGROUP)!;
    expect(entry).toBeDefined();
    expect(entry.objects).toEqual([{ kind: 'tmpfs', name: `/dev/shm/${TAG}`, bytes: 4 * MIB }]);
    expect(entry.held).toBe(4 * MIB);
    // The kernel's figure, read again now: the process wrote every page from inside the cgroup.
    const charged = statField(readFileSync(join(DIR, 'memory.stat'), 'utf8'), 'shmem');
    expect(charged).toBeGreaterThanOrEqual(4 * MIB - PAGE);
    expect(entry.charged).toBe(charged);
    expect(readFileSync(join(DIR, 'cgroup.procs'), 'utf8').trim()).toBe(String(pid));
  });

  it('text: the cgroup\'s line names the file; CSV: its figures', () => {
    const text = footprint(['shmem', '--by-cgroup', '--match', TAG]);
    expect(text.status).toBe(0);
    expect(text.stdout.split('\n').find((line) => line.startsWith(`${CGROUP} `))).toMatch(new RegExp(`4\\.0 MiB\\s+4\\.0 MiB\\s+/dev/shm/${TAG}$`));
    const csv = footprint(['shmem', '--by-cgroup', '--csv', '--match', TAG]);
    expect(csv.stdout.split('\n')).toContain(`${CGROUP},${4 * MIB},${4 * MIB},1`);
  });
});
