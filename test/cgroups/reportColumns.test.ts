/**
 * The report's cgroup side offline, on captured cgroup v2 trees (the layout
 * `footprint capture` writes: DIR/proc beside DIR/cgroup): --group cgroup's
 * charge and limit columns from each cgroup's own files, and the System block's
 * cgroups holding the page cache and slab, worked by hand from the trees'
 * memory.stat. The processes come from snapshots/kernel-thread (sleep, 11230,
 * and kthreadd), placed in nginx.service by their /proc/PID/cgroup.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runCli, runJson } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

const dirs: string[] = [];

/** DIR/proc from snapshots/kernel-thread, DIR/cgroup from the named v2 tree, 11230 a member of nginx.service. */
function capturedTree(cgroupTree: string): string {
  const dir = tempDir('footprint-cgreport-');
  dirs.push(dir);
  cpSync(join(REPO, 'snapshots', 'kernel-thread', 'proc'), join(dir, 'proc'), { recursive: true });
  cpSync(join(REPO, 'snapshots', cgroupTree, 'cgroup'), join(dir, 'cgroup'), { recursive: true });
  writeFileSync(join(dir, 'proc', '11230', 'cgroup'), '0::/system.slice/nginx.service\n');
  return dir;
}

let v66: string;
let v515: string;
beforeAll(() => {
  v66 = capturedTree('cgroup-v2-6.6');
  v515 = capturedTree('cgroup-v2-5.15');
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('--group cgroup on a captured v2 tree', () => {
  it.each([
    // nginx.service: memory.current, memory.max, memory.high; headroom = max - current.
    ['6.6', () => v66, 91086848, 134217728 - 91086848],
    ['5.15', () => v515, 89972736, 134217728 - 89972736],
  ])('%s: the group of nginx.service carries its charge (memory.current), limit, high and headroom', (_kernel, tree, current, headroom) => {
    const report = runJson(['--proc-root', join(tree(), 'proc'), '--group', 'cgroup']);
    expect(report.groups).toHaveLength(1);
    expect(report.groups[0]).toMatchObject({ name: '/system.slice/nginx.service', count: 1, pids: [11230] });
    expect(report.groups[0].cgroup).toEqual({
      path: '/system.slice/nginx.service', version: 2, charge: current, chargeSource: 'memory.current',
      limit: 134217728, high: 117440512, headroom,
    });
  });

  it('the text table: Charge and Limit columns; the CSV: trailing cgroupCharge, cgroupLimit, cgroupHigh', () => {
    const text = runCli(['--proc-root', join(v66, 'proc'), '--group', 'cgroup', '--units', 'MiB']);
    expect(text.status).toBe(0);
    const [header, row] = text.stdout.split('\n');
    expect(header.split(/\s{2,}/).map((cell) => cell.trim())).toEqual(['Writable', 'Private', 'Shared', 'RAM used', 'Charge', 'Limit', 'Cgroup']);
    // 91086848 B = 86.9 MiB; 134217728 B = 128.0 MiB.
    expect(row).toMatch(/ 86\.9 MiB +128\.0 MiB +\/system\.slice\/nginx\.service \(1\)$/);
    const csv = runCli(['--proc-root', join(v66, 'proc'), '--group', 'cgroup', '--csv']).stdout.split('\n');
    expect(csv[0]).toBe('name,count,pids,writable,privateClean,private,shared,ram,pss,rss,swap,estimated,cgroupCharge,cgroupLimit,cgroupHigh');
    expect(csv[1].endsWith(',false,91086848,134217728,117440512')).toBe(true);
  });

  it('a process in a cgroup the tree does not hold: "?" and the reason, never 0', () => {
    writeFileSync(join(v515, 'proc', '11230', 'cgroup'), '0::/system.slice/gone.service\n');
    try {
      const report = runJson(['--proc-root', join(v515, 'proc'), '--group', 'cgroup']);
      expect(report.groups[0].cgroup.charge).toBeUndefined();
      expect(report.groups[0].cgroup.unknown[0]).toMatch(/^no memory cgroup \/system\.slice\/gone\.service under /);
      const text = runCli(['--proc-root', join(v515, 'proc'), '--group', 'cgroup']).stdout.split('\n');
      expect(text[1]).toMatch(/ +\? +\? +\/system\.slice\/gone\.service \(1\)$/);
      expect(text[4]).toMatch(/^Charge, Limit \? for 1 cgroup; the first: no memory cgroup \/system\.slice\/gone\.service under .*\.$/);
      expect(runCli(['--proc-root', join(v515, 'proc'), '--group', 'cgroup', '--csv']).stdout.split('\n')[1].endsWith(',false,,,')).toBe(true);
    } finally {
      writeFileSync(join(v515, 'proc', '11230', 'cgroup'), '0::/system.slice/nginx.service\n');
    }
  });
});

describe('the System block names the cgroups charged the page cache and slab', () => {
  it('each cgroup\'s own share: a v2 parent less its children (system.slice: 136314880 - 31457280 - 104857600 = 0 file)', () => {
    const report = runJson(['--proc-root', join(v66, 'proc')]);
    // memory.stat file: postgres 104857600, nginx 31457280; slab_reclaimable + slab_unreclaimable:
    // nginx 2094176 + 1051704 = 3145880, postgres 1309392 + 524616 = 1834008; system.slice's own:
    // 3403568 + 1576320 - 3145880 - 1834008 = 0. The root has no memory.stat in this tree.
    expect(report.system.cgroups).toEqual({
      version: 2,
      pageCache: [{ path: '/system.slice/postgres.service', bytes: 104857600 }, { path: '/system.slice/nginx.service', bytes: 31457280 }],
      slab: [{ path: '/system.slice/nginx.service', bytes: 3145880 }, { path: '/system.slice/postgres.service', bytes: 1834008 }],
      unreadable: 0,
    });
    const text = runCli(['--proc-root', join(v66, 'proc'), '--units', 'MiB', '--system']).stdout;
    expect(text).toContain("  Page cache, by the cgroup charged (v2 memory.stat file, its own, not its children's): /system.slice/postgres.service 100.0 MiB, /system.slice/nginx.service 30.0 MiB.\n");
    expect(text).toContain('  Slab, by the cgroup charged (memory.stat slab): /system.slice/nginx.service 3.0 MiB, /system.slice/postgres.service 1.7 MiB.\n');
  });

  it('a tree captured without cgroup files names none and changes nothing else', () => {
    const report = runJson(['--proc-root', join(REPO, 'snapshots', 'kernel-thread', 'proc')]);
    expect(report.system.cgroups).toBeUndefined();
    expect(runCli(['--proc-root', join(REPO, 'snapshots', 'kernel-thread', 'proc')]).stdout).not.toMatch(/Page cache, by the cgroup/);
  });
});

describe('footprint cgroups --proc-root DIR/proc reads the hierarchy captured beside it', () => {
  it('members from the captured /proc, the hierarchy from DIR/cgroup; a tree without one is refused in one line', () => {
    const document = runJson(['cgroups', '--proc-root', join(v66, 'proc'), '/system.slice/nginx.service']);
    expect(document.hierarchy).toMatchObject({ version: 2, offline: true });
    expect(document.cgroups[0]).toMatchObject({ path: '/system.slice/nginx.service', limits: { max: 134217728 } });
    const bare = runCli(['cgroups', '--proc-root', join(REPO, 'snapshots', 'kernel-thread', 'proc')]);
    expect(bare.status).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toMatch(/^footprint: cgroups: .*kernel-thread\/proc was captured without its cgroup files \(no .*kernel-thread\/cgroup\): every cgroup figure is unknown \(give --cgroup-root\)\n$/);
  });

  it('captured trees have no oom_score: the next victim is unknown, and so is each process\'s score', () => {
    const document = runJson(['cgroups', '--proc-root', join(v66, 'proc'), '/system.slice/nginx.service']);
    expect(document.cgroups[0].nextVictim).toBeUndefined();
    expect(runCli(['cgroups', '--proc-root', join(v66, 'proc'), '/system.slice/nginx.service']).stdout).toContain("Next victim: unknown (no member's oom_score was read).\n");
    const pid = runCli(['--proc-root', join(v66, 'proc'), '--group', 'pid']).stdout.split('\n');
    expect(pid[0]).toMatch(/ OOM score +Process$/);
    expect(pid[1]).toMatch(/ +\? +sleep \[11230\] \(1\)$/);
    expect(pid).toContain('OOM score ?: /proc/PID/oom_score not read for 1 group (a captured tree made before capture saved it has none).');
  });
});

describe('the next victim by the kernel\'s rule, on captured oom_score files', () => {
  // snapshots/node-many-mappings' node (11163) and python (11165), both members of nginx.service here,
  // with oom_score (and oom_score_adj) files as the kernel writes them: one decimal line.
  let dir: string;
  beforeAll(() => {
    dir = tempDir('footprint-victim-');
    dirs.push(dir);
    cpSync(join(REPO, 'snapshots', 'node-many-mappings', 'proc'), join(dir, 'proc'), { recursive: true });
    cpSync(join(REPO, 'snapshots', 'cgroup-v2-6.6', 'cgroup'), join(dir, 'cgroup'), { recursive: true });
  });
  const nginx = () => join(dir, 'cgroup', 'system.slice', 'nginx.service');
  const scores = (node: string, python: string, pythonAdj = '0') => {
    writeFileSync(join(dir, 'proc', '11163', 'oom_score'), node);
    writeFileSync(join(dir, 'proc', '11165', 'oom_score'), python);
    writeFileSync(join(dir, 'proc', '11165', 'oom_score_adj'), pythonAdj);
  };
  const victim = () => runJson(['cgroups', '--proc-root', join(dir, 'proc'), '/system.slice/nginx.service']).cgroups[0].nextVictim;

  it('the highest score; of equal ones the last walked (cgroup.procs\' order), with the tie counted', () => {
    writeFileSync(join(nginx(), 'cgroup.procs'), '11163\n11165\n');
    scores('700\n', '912\n');
    expect(victim()).toEqual({ pid: 11165, name: 'python3', oomScore: 912, scored: 2 });
    scores('700\n', '700\n');
    expect(victim()).toEqual({ pid: 11165, name: 'python3', oomScore: 700, scored: 2, tied: 2 });
    writeFileSync(join(nginx(), 'cgroup.procs'), '11165\n11163\n');
    expect(victim()).toEqual({ pid: 11163, name: 'node', oomScore: 700, scored: 2, tied: 2 });
    expect(runCli(['cgroups', '--proc-root', join(dir, 'proc'), '--flat']).stdout).toMatch(/^\/system\.slice\/nginx\.service .* node \[11163\] 700 \(tie of 2\)$/m);
  });

  it('oom_score_adj -1000 (oom_score 0): never picked, even over a 0 that is not exempt; none where all are', () => {
    writeFileSync(join(nginx(), 'cgroup.procs'), '11163\n11165\n');
    scores('0\n', '0\n', '-1000\n');
    expect(victim()).toEqual({ pid: 11163, name: 'node', oomScore: 0, scored: 2 });
    writeFileSync(join(nginx(), 'cgroup.procs'), '11165\n');
    expect(victim()).toEqual({ pid: null, scored: 1 });
    expect(runCli(['cgroups', '--proc-root', join(dir, 'proc'), '/system.slice/nginx.service']).stdout)
      .toContain('Next victim: none (every member scored is exempt: oom_score_adj -1000).\n');
  });

  it('a malformed oom_score is no score: unknown for that process, the scan goes on', () => {
    writeFileSync(join(nginx(), 'cgroup.procs'), '11163\n11165\n');
    scores('lots\n', '5000\n');
    expect(victim()).toBeUndefined();
    const report = runJson(['--proc-root', join(dir, 'proc'), '--group', 'pid']);
    expect(report.scan).toMatchObject({ measured: 2, malformed: 0 });
    expect(report.groups.map((group: { oomScore?: number }) => group.oomScore)).toEqual([undefined, undefined]);
  });
});
