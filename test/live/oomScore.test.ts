/**
 * Live, as root, on this machine's v1 memory controller: three memscripts in a
 * child memory cgroup of the test's own (the memory line of /proc/self/cgroup),
 * with oom_score_adj set here to make a known order — A (32 MiB) +500, the
 * kernel's first pick; C (16 MiB) +100, second; B (64 MiB, the largest)
 * untouched, last. (Lowering it below 0 needs CAP_SYS_RESOURCE, which root
 * lacks here: the exempt case, -1000, is tested on a captured tree.) footprint's oom_score against /proc/PID/oom_score read
 * here; the next victim of the child; --group cgroup's charge and limit against
 * the child's own files; then `capture` and the offline replay of
 * `footprint cgroups` giving what the live one gave. The child is removed in
 * afterAll, also when a test fails; nothing outside it is touched.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { canMakeMemoryCgroups, childCgroupPath, MEMORY_MOUNT, removeCgroupDir, startMemscriptIn, cgroupFigures, expectBracketed } from '../helpers/memoryCgroups.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { fixtureBinary, stopChildren } from '../helpers/liveProcesses.js';
import { assertBuilt, footprint, footprintAsNobody, removeNobodyCopy } from '../helpers/runFootprint.js';
import { tempDir } from '../helpers/tempPaths.js';

const LIMIT = 512 * 1024 * 1024;
const asRoot = canMakeMemoryCgroups;

const child = childCgroupPath(`footprint-oom-${process.pid}`);
const childDir = join(MEMORY_MOUNT, child);
const children: ChildProcess[] = [];
const pids = { a: 0, b: 0, c: 0 };
let captureDir = '';

const oomScore = (pid: number) => Number(readFileSync(`/proc/${pid}/oom_score`, 'utf8'));
const cgroupFile = (name: string) => readFileSync(join(childDir, name), 'utf8');
/** The child's charge as footprint defines it on v1 (total_rss + total_cache + kmem) and the kernel's counter. */
function ownFigures() {
  return cgroupFigures(childDir);
}
function run(args: string[]) {
  const result = footprint(args);
  if (result.status !== 0) throw new Error(`footprint ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result;
}

/** memscript in the child, writing MIB MiB; its PID once it has. */
async function startInChild(memscript: string, mib: number): Promise<number> {
  return (await startMemscriptIn(childDir, memscript, mib, children)).pid;
}

function removeChild(): void {
  removeCgroupDir(childDir);
}

(asRoot ? describe : describe.skip)('oom_score and the next victim, live', () => {
  beforeAll(async () => {
    assertBuilt();
    const memscript = fixtureBinary('memscript');
    mkdirSync(childDir);
    writeFileSync(join(childDir, 'memory.limit_in_bytes'), String(LIMIT));
    pids.a = await startInChild(memscript, 32);
    pids.b = await startInChild(memscript, 64);
    pids.c = await startInChild(memscript, 16);
    writeFileSync(`/proc/${pids.a}/oom_score_adj`, '500');
    writeFileSync(`/proc/${pids.c}/oom_score_adj`, '100');
  }, 60_000);

  afterAll(async () => {
    try {
      await stopChildren(children);
    } finally {
      removeChild();
      removeNobodyCopy();
      if (captureDir !== '') rmSync(captureDir, { recursive: true, force: true });
    }
  }, 60_000);

  test('the order made here: A +500 above C +100 above B, the largest', () => {
    expect(oomScore(pids.a)).toBeGreaterThan(oomScore(pids.c));
    expect(oomScore(pids.c)).toBeGreaterThan(oomScore(pids.b));
    expect(cgroupFile('cgroup.procs').trim().split('\n').map(Number).sort()).toEqual([pids.a, pids.b, pids.c].sort());
  });

  test('JSON: each process\'s oomScore is its /proc/PID/oom_score; a group carries the highest of its processes', () => {
    const list = `${pids.a},${pids.b},${pids.c}`;
    const before = [pids.a, pids.b, pids.c].map(oomScore);
    const byPid = JSON.parse(run(['-p', list, '--group', 'pid', '--json']).stdout);
    const after = [pids.a, pids.b, pids.c].map(oomScore);
    expect(after).toEqual(before);
    const scores = Object.fromEntries(byPid.groups.map((group: { pids: number[]; oomScore: number }) => [group.pids[0], group.oomScore]));
    expect(scores).toEqual({ [pids.a]: before[0], [pids.b]: before[1], [pids.c]: before[2] });
    // Grouped by program, the three memscripts are one group: its score is A's, the highest.
    const program = JSON.parse(run(['-p', list, '--json']).stdout);
    expect(program.groups).toHaveLength(1);
    expect(program.groups[0]).toMatchObject({ name: 'memscript', count: 3, oomScore: before[0] });
    expect(program.totals.oomScore).toBeUndefined();
  });

  test('--sort oom: the column, A first then C then B; the CSV gains oomScore as its last column (after pssDirty, one process a row)', () => {
    const list = `${pids.a},${pids.b},${pids.c}`;
    const lines = run(['-p', list, '--group', 'pid', '--sort', 'oom']).stdout.split('\n');
    expect(lines[0].split(/\s{2,}/).map((cell) => cell.trim())).toEqual(['Writable', 'Private', 'Shared', 'RAM used', 'Pss dirty', 'OOM score', 'Process']);
    expect(lines.slice(1, 4).map((line) => Number(/\[(\d+)\]/.exec(line)![1]))).toEqual([pids.a, pids.c, pids.b]);
    expect(lines[1]).toMatch(new RegExp(` ${oomScore(pids.a)}  memscript \\[${pids.a}\\] \\(1\\)$`));
    const csv = run(['-p', list, '--sort', 'oom', '--csv', '--group', 'pid']).stdout.split('\n');
    expect(csv[0]).toBe('name,count,pids,writable,privateClean,private,shared,ram,pss,rss,swap,estimated,pssDirty,oomScore');
    expect(csv[1]).toBe(`${csv[1].slice(0, csv[1].lastIndexOf(','))},${oomScore(pids.a)}`);
    expect(csv[1].startsWith(`memscript [${pids.a}],1,${pids.a},`)).toBe(true);
    // Ranked otherwise, by program: the columns as they always were.
    expect(run(['-p', list, '--csv']).stdout.split('\n')[0]).toBe('name,count,pids,writable,privateClean,private,shared,ram,pss,rss,swap,estimated');
  });

  test('footprint cgroups: the child\'s next victim is A, not B, the largest', () => {
    const document = JSON.parse(run(['cgroups', child, '--json']).stdout);
    expect(document.cgroups[0].nextVictim).toEqual({ pid: pids.a, name: 'memscript', oomScore: oomScore(pids.a), scored: 3 });
    const text = run(['cgroups', child]).stdout;
    expect(text).toContain(`Next victim: memscript [${pids.a}] ${oomScore(pids.a)}, the highest oom_score of 3 members scored.\n`);
    const listing = run(['cgroups', '--flat']).stdout.split('\n');
    const row = listing.find((line) => line.startsWith(child));
    expect(row).toMatch(new RegExp(` memscript \\[${pids.a}\\] ${oomScore(pids.a)}$`));
  });

  test('as nobody: root\'s members are not measured, yet their oom_score is world-readable, so the next victim is still A, of 3 scored', () => {
    const result = footprintAsNobody(['cgroups', child, '--json']);
    expect(result.status).toBe(0);
    const row = JSON.parse(result.stdout).cgroups[0];
    expect(row.held).toMatchObject({ processes: 3, measured: 0 });
    expect(row.nextVictim).toEqual({ pid: pids.a, name: 'memscript', oomScore: oomScore(pids.a), scored: 3 });
  });

  test('--group cgroup: the child\'s charge and limit from its own files beside its processes', () => {
    const before = ownFigures();
    const report = JSON.parse(run(['-p', `${pids.a},${pids.b},${pids.c}`, '--group', 'cgroup', '--json']).stdout);
    const after = ownFigures();
    expect(report.groups).toHaveLength(1);
    const cgroup = report.groups[0].cgroup;
    expect(cgroup).toMatchObject({ path: child, version: 1, chargeSource: 'memory.stat+kmem', limit: LIMIT, high: null });
    expectBracketed(cgroup.charge, before.charge, after.charge);
    expectBracketed(LIMIT - cgroup.headroom, before.usage, after.usage);
    // 32 + 64 + 16 MiB written by the three.
    expect(cgroup.charge).toBeGreaterThanOrEqual(112 * 1024 * 1024);
    const text = run(['-p', `${pids.a},${pids.b},${pids.c}`, '--group', 'cgroup', '--units', 'MiB']).stdout.split('\n');
    expect(text[0]).toMatch(/ Charge +Limit +Cgroup$/);
    expect(text[1]).toMatch(/ \d+\.\d MiB +512\.0 MiB +\S+ \(3\)$/);
  });

  test('capture, then the offline replay gives the live footprint cgroups (within what moves) and the report\'s cgroup columns', () => {
    captureDir = tempDir('footprint-capture-cg-');
    const before = ownFigures();
    const live = JSON.parse(run(['cgroups', child, '--json']).stdout).cgroups[0];
    const captured = run(['capture', captureDir]);
    const after = ownFigures();
    expect(captured.stdout).toMatch(/^Captured \d+ memory cgroups? \(v1\) into .*\/cgroup; footprint cgroups --proc-root .*\/proc reads them$/m);
    // The files the walk read, each as the kernel wrote it.
    for (const name of ['memory.stat', 'memory.limit_in_bytes', 'memory.soft_limit_in_bytes', 'memory.max_usage_in_bytes', 'memory.oom_control', 'memory.usage_in_bytes', 'cgroup.procs']) {
      expect(existsSync(join(captureDir, 'cgroup', child, name))).toBe(true);
    }
    expect(readFileSync(join(captureDir, 'cgroup', child, 'memory.limit_in_bytes'), 'utf8')).toBe(`${LIMIT}\n`);
    expect(readFileSync(join(captureDir, 'proc', String(pids.a), 'oom_score'), 'utf8')).toBe(`${oomScore(pids.a)}\n`);
    expect(readFileSync(join(captureDir, 'proc', 'self', 'mountinfo'), 'utf8')).toMatch(/ \/sys\/fs\/cgroup\/memory .* - cgroup cgroup .*memory/);

    const offlineDocument = JSON.parse(run(['cgroups', '--proc-root', join(captureDir, 'proc'), child, '--json']).stdout);
    expect(offlineDocument.hierarchy).toMatchObject({ version: 1, offline: true, root: '/' });
    const offline = offlineDocument.cgroups[0];
    // What does not move is the same; the charge moves by page cache and kernel pages: within the live reads around it.
    expect(offline).toMatchObject({ path: live.path, depth: live.depth, limits: live.limits, oom: live.oom, nextVictim: live.nextVictim, unreadable: [] });
    expect(offline.held).toEqual(live.held);
    expectBracketed(offline.charge.charge, before.charge, after.charge);
    const report = JSON.parse(run(['--proc-root', join(captureDir, 'proc'), '-p', `${pids.a},${pids.b},${pids.c}`, '--group', 'cgroup', '--json']).stdout);
    expect(report.groups[0].cgroup).toMatchObject({ path: child, limit: LIMIT, high: null });
    expect(report.groups[0].oomScore).toBe(oomScore(pids.a));
  });
});
