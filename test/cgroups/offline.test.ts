import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupReader } from '../../src/kernel/cgroupReader.js';
import { readCgroupTree } from '../../src/cgroups/readCgroupTree.js';
import { procRoot, REPO, runCli, runJson } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

let dir: string;

beforeAll(() => {
  dir = tempDir('footprint-cgroups-');
  cpSync(join(REPO, 'snapshots', 'cgroup-v2-6.6', 'cgroup'), join(dir, 'cgroup'), { recursive: true });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a captured cgroup tree with the /proc of the same moment', () => {
  it("the processes' side is its members' rollups: sleep's Private_Dirty, Pss_Anon; kthreadd left out, a kernel thread", () => {
    // nginx.service's members, in this copy: snapshots/kernel-thread's kthreadd (2) and sleep (11230).
    writeFileSync(join(dir, 'cgroup', 'system.slice', 'nginx.service', 'cgroup.procs'), '11230\n2\n');
    const document = runJson(['cgroups', '--cgroup-root', join(dir, 'cgroup'), '--proc-root', procRoot('kernel-thread'), '/system.slice/nginx.service']);
    // 11230/smaps_rollup: Private_Dirty 108 kB, Pss 292 kB, Pss_Anon 108 kB, Pss_Shmem 0 kB.
    expect(document.cgroups[0].held).toEqual({ processes: 1, measured: 1, writable: 108 * 1024, pss: 292 * 1024, pssAnon: 108 * 1024, pssShmem: 0 });
    expect(document.processes).toMatchObject({ measured: 1, kernelThreads: 1 });
    // The parent's members are its own and its children's: postgres' 520 and 521 are not in that /proc.
    const tree = runJson(['cgroups', '--cgroup-root', join(dir, 'cgroup'), '--proc-root', procRoot('kernel-thread')]);
    const slice = tree.cgroups.find((row: { path: string }) => row.path === '/system.slice');
    expect(slice.held).toMatchObject({ processes: 3, measured: 1, writable: 108 * 1024 });
  });
});

describe('hostile captured trees', () => {
  it('a FIFO where a file should be is refused before it is read, and the cgroup says so', () => {
    const fifo = join(dir, 'cgroup', 'system.slice', 'postgres.service', 'memory.peak');
    rmSync(fifo);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const tree = readCgroupTree(new CgroupReader(join(dir, 'cgroup')), { version: 2, start: '/system.slice/postgres.service', onlyStart: true });
    expect(tree.cgroups[0]).toMatchObject({ read: true, current: 129040384, unreadable: ['memory.peak: not a regular file'] });
    expect(tree.cgroups[0].peak).toBeUndefined();
  });

  it('a file over 1 MiB is refused, a malformed one named with its line, and the rest of the cgroup still read', () => {
    const nginx = join(dir, 'cgroup', 'system.slice', 'nginx.service');
    writeFileSync(join(nginx, 'cgroup.procs'), '1\n'.repeat(600 * 1024));
    writeFileSync(join(nginx, 'memory.events'), 'low 0\nhigh x\n');
    const tree = readCgroupTree(new CgroupReader(join(dir, 'cgroup')), { version: 2, start: '/system.slice/nginx.service', onlyStart: true });
    expect(tree.cgroups[0].unreadable).toEqual(['memory.events line 2: expected "key value": "high x"', 'cgroup.procs: larger than 1048576 bytes']);
    expect(tree.cgroups[0]).toMatchObject({ current: 91086848, limits: { max: 134217728 } });
    const text = runCli(['cgroups', '--cgroup-root', join(dir, 'cgroup'), '/system.slice/nginx.service']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Not read: cgroup.procs: larger than 1048576 bytes.');
    expect(runCli(['cgroups', '--cgroup-root', join(dir, 'cgroup')]).stdout)
      .toContain('2 cgroups have files footprint could not read or parse (`footprint cgroups PATH` names them).');
  });

  it('a cgroup named with escape sequences is shown escaped', () => {
    const evil = join(dir, 'cgroup', 'system.slice', 'evil\x1b[31m\nname');
    cpSync(join(REPO, 'snapshots', 'cgroup-v2-6.6', 'cgroup', 'system.slice', 'postgres.service'), evil, { recursive: true });
    const result = runCli(['cgroups', '--cgroup-root', join(dir, 'cgroup'), '--flat']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('/system.slice/evil\\e[31m\\nname');
    expect(result.stdout).not.toContain('\x1b');
  });
});
