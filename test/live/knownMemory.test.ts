/**
 * Live: processes with known, exact memory (test/fixtures/memhog.c), and
 * footprint's figures checked against the kernel's own, read independently
 * from /proc in the same moment (and against smem on the same PIDs).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { memhogBinary, startMemhog, stopAll, type Memhog } from '../helpers/liveProcesses.js';
import { figuresFromRollup, readRollup, readSmaps, sumColumns, sumField, sumFigures, type RawMapping } from '../helpers/procRead.js';
import { assertBuilt, figuresOf, footprint, reportJson } from '../helpers/runFootprint.js';
import { reportPssAgrees, whileStable } from '../helpers/stableRead.js';

const MIB = 1024 * 1024;
const KIB = 1024;


function showJson(pid: number, extra: string[] = []) {
  const result = footprint(['show', String(pid), '--json', ...extra]);
  if (result.status !== 0) throw new Error(`show ${pid} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const isSharedZero = (m: RawMapping) => m.perms === 'rw-s' && m.name === '/dev/zero (deleted)';

let writers: Memhog[];
let sharing: Memhog;
let layered: Memhog;

beforeAll(async () => {
  assertBuilt();
  memhogBinary();
  writers = await Promise.all([1, 2, 3].map(() => startMemhog({ privateMiB: 8, fileMiB: 2 })));
  sharing = await startMemhog({ sharedMiB: 12, children: 2 });
  layered = await startMemhog({ heapKiB: 2048, privateMiB: 16 });
}, 30_000);

afterAll(async () => {
  await stopAll();
});

describe('three processes each writing 8 MiB privately (and reading a 2 MiB file of their own)', () => {
  test('one group whose every figure equals the sum of the kernel\'s smaps_rollup', () => {
    const pids = writers.map((w) => w.pid);
    const { rollups, result } = whileStable(pids, () => reportJson(footprint(['--json', '-p', pids.join(',')])), reportPssAgrees);
    const expected = sumFigures(rollups.map(figuresFromRollup));
    expect(result.scan).toMatchObject({ seen: 3, measured: 3, denied: 0, gone: 0, zombies: 0, kernelThreads: 0, estimated: 0 });
    expect(result.groups).toHaveLength(1);
    const [group] = result.groups;
    expect(group.name).toBe('memhog');
    expect(group.count).toBe(3);
    expect([...group.pids].sort((a, b) => a - b)).toEqual([...pids].sort((a, b) => a - b));
    expect(group.estimated).toBe(false);
    expect(figuresOf(group)).toEqual(expected);
    expect(group.writable).toBeGreaterThanOrEqual(3 * 8 * MIB);
    const { writable, private: priv, shared, ram, pss, rss, swap } = expected;
    expect(result.totals).toEqual({ writable, private: priv, shared, ram, pss, rss, swap });
  });

  test('--group pid: each PID\'s figures equal its own smaps_rollup', () => {
    const pids = writers.map((w) => w.pid);
    const { rollups, result } = whileStable(pids, () => reportJson(footprint(['--json', '--group', 'pid', '-p', pids.join(',')])), reportPssAgrees);
    expect(result.groups).toHaveLength(3);
    pids.forEach((pid, i) => {
      const group = result.groups.find((g) => g.pids[0] === pid)!;
      expect(group.count).toBe(1);
      expect(group.name).toBe(`memhog [${pid}]`);
      expect(figuresOf(group)).toEqual(figuresFromRollup(rollups[i]));
      // The 8 MiB memset is the process's own, on top of its static data and stack.
      expect(group.writable).toBeGreaterThanOrEqual(8 * MIB);
      expect(group.writable).toBeLessThan(8 * MIB + MIB);
      // The fsync'ed file pages only this process maps: clean and private.
      expect(group.privateClean).toBeGreaterThanOrEqual(2 * MIB);
    });
  });
});

describe('a parent and two children sharing one 12 MiB MAP_SHARED region', () => {
  test('each process\'s figures equal its smaps_rollup', () => {
    const pids = [sharing.pid, ...sharing.children];
    const { rollups, result } = whileStable(pids, () => reportJson(footprint(['--json', '--group', 'pid', '-p', pids.join(',')])), reportPssAgrees);
    expect(result.groups).toHaveLength(3);
    pids.forEach((pid, i) => {
      const group = result.groups.find((g) => g.pids[0] === pid)!;
      expect(figuresOf(group)).toEqual(figuresFromRollup(rollups[i]));
      // A third of 12 MiB each is shared, not private, memory.
      expect(group.shared).toBeGreaterThanOrEqual(4 * MIB - KIB);
      expect(group.writable).toBeLessThan(MIB);
    });
  });

  test('the region\'s Pss is split three ways, exactly as smaps says', () => {
    const pids = [sharing.pid, ...sharing.children];
    const { result: regions } = whileStable(pids, () => pids.map((pid) => readSmaps(pid).filter(isSharedZero)));
    for (const region of regions) {
      expect(region).toHaveLength(1);
      expect(region[0].fields.Rss).toBe(12 * MIB);
      expect(region[0].fields.Shared_Dirty + region[0].fields.Shared_Clean).toBe(12 * MIB);
      // 12 MiB / 3 = 4096 KiB; the kernel's fixed-point share of each page rounds down to 4095 KiB.
      expect([4095 * KIB, 4096 * KIB]).toContain(region[0].fields.Pss);
      expect(region[0].fields.Pss).toBe(regions[0][0].fields.Pss);
    }
  });

  test('show --json: the region is shared memory (rw-s) in the anonymous section, with smaps\' own columns', () => {
    const { result: [shown, smaps] } = whileStable([sharing.pid], () => [showJson(sharing.pid), readSmaps(sharing.pid)] as const);
    const row = shown.anonymous.rows.find((r: { region: string }) => r.region === 'shared-memory');
    expect(row).toMatchObject({ permissions: 'rw-s', label: 'Shared memory (shm, memfd)', mappings: 1 });
    expect({ ...row, permissions: undefined, region: undefined, label: undefined, mappings: undefined })
      .toEqual({ ...sumColumns(smaps.filter(isSharedZero)), permissions: undefined, region: undefined, label: undefined, mappings: undefined });
    expect(row.sharedDirty + row.sharedClean).toBe(12 * MIB);
    expect(shown.mapped.rows.some((r: { permissions: string }) => r.permissions === 'rw-s')).toBe(false);
    // The grand total is smaps summed; its Private_Dirty is the writable memory.
    expect(shown.total).toEqual(sumColumns(smaps));
    expect(shown.writable).toBe(sumField(smaps, 'Private_Dirty'));
  });

  test('show --mappings --json: /dev/zero (deleted) with its Pss a third of the region', () => {
    const { result: [shown, smaps] } = whileStable([sharing.pid], () => [showJson(sharing.pid, ['--mappings']), readSmaps(sharing.pid)] as const);
    const entry = shown.mappings.find((m: { name: string }) => m.name === '/dev/zero (deleted)');
    const region = smaps.filter(isSharedZero);
    expect(entry).toMatchObject({ region: 'shared-memory', mappings: 1, rss: 12 * MIB, pss: sumField(region, 'Pss'), ...sumColumns(region) });
  });
});

describe('a process with a heap, a large anonymous mmap and a stack', () => {
  test('show --json tells heap from anonymous data from stack, each equal to its smaps mappings', () => {
    const { result: [shown, smaps] } = whileStable([layered.pid], () => [showJson(layered.pid), readSmaps(layered.pid)] as const);
    const rows = shown.anonymous.rows as { region: string; permissions: string; label: string; mappings: number }[];
    const byRegion = (region: string) => rows.filter((r) => r.region === region);
    const columns = (r: object) => {
      const { sharedClean, sharedDirty, privateClean, privateDirty } = r as ReturnType<typeof sumColumns>;
      return { sharedClean, sharedDirty, privateClean, privateDirty };
    };

    const heap = smaps.filter((m) => m.name === '[heap]');
    expect(byRegion('heap')).toHaveLength(1);
    expect(byRegion('heap')[0]).toMatchObject({ permissions: 'rw-p', label: 'Heap (brk)', mappings: heap.length });
    expect(columns(byRegion('heap')[0])).toEqual(sumColumns(heap));
    // 2048 KiB malloc'ed in 1000-byte blocks, all written: at least that much dirty heap.
    expect(columns(byRegion('heap')[0]).privateDirty).toBeGreaterThanOrEqual(2048 * KIB);

    const stack = smaps.filter((m) => m.name === '[stack]');
    expect(byRegion('stack')).toHaveLength(1);
    expect(byRegion('stack')[0]).toMatchObject({ label: 'Stack', mappings: stack.length });
    expect(columns(byRegion('stack')[0])).toEqual(sumColumns(stack));

    const anonData = smaps.filter((m) => m.name === '' && m.perms === 'rw-p');
    const dataRow = rows.find((r) => r.region === 'anonymous' && r.permissions === 'rw-p')!;
    expect(dataRow).toMatchObject({ label: 'Data (malloc, mmap)', mappings: anonData.length });
    expect(columns(dataRow)).toEqual(sumColumns(anonData));
    expect(sumColumns(anonData).privateDirty).toBeGreaterThanOrEqual(16 * MIB);

    const files = smaps.filter((m) => m.name.startsWith('/'));
    expect(shown.mapped.total).toEqual(sumColumns(files));
    expect(shown.anonymous.total).toEqual(sumColumns(smaps.filter((m) => !m.name.startsWith('/'))));
    expect(shown.writable).toBe(readRollup(layered.pid).Private_Dirty);
  });

  test('show (text) has a Heap, a Stack and an anonymous Data row, in KiB as smaps says', () => {
    const { result: [text, smaps] } = whileStable([layered.pid], () => [footprint(['show', String(layered.pid), '--units', 'KiB']), readSmaps(layered.pid)] as const);
    expect(text.status).toBe(0);
    // The article's layout: the four figures, then the row's label after two spaces.
    const line = (label: string) => text.stdout.split('\n').find((l) => l.endsWith(`  ${label}`));
    const kib = (ms: RawMapping[]) => sumField(ms, 'Private_Dirty') / KIB;
    const lastNumber = (l: string | undefined) => Number(/(\d+)  \D+$/.exec(l ?? '')?.[1]);
    expect(lastNumber(line('Heap (brk)'))).toBe(kib(smaps.filter((m) => m.name === '[heap]')));
    expect(lastNumber(line('Stack'))).toBe(kib(smaps.filter((m) => m.name === '[stack]')));
    expect(lastNumber(line('Data (malloc, mmap)'))).toBe(kib(smaps.filter((m) => m.name === '' && m.perms === 'rw-p')));
  });
});

describe('agreement with smem on the same PIDs', () => {
  interface SmemRow { uss: number; pss: number; rss: number }

  function smem(pids: number[]): Map<number, SmemRow> {
    const run = spawnSync('smem', ['-H', '-c', 'pid uss pss rss', '-P', 'footprint-live-'], { encoding: 'utf8', timeout: 30_000 });
    if (run.status !== 0) throw new Error(`smem exited ${run.status}: ${run.stderr}`);
    const rows = new Map<number, SmemRow>();
    for (const line of run.stdout.trim().split('\n')) {
      const [pid, uss, pss, rss] = line.trim().split(/\s+/).map(Number);
      if (pids.includes(pid)) rows.set(pid, { uss: uss * KIB, pss: pss * KIB, rss: rss * KIB });
    }
    return rows;
  }

  test('USS, PSS and RSS per PID (--group pid)', () => {
    const pids = [...writers.map((w) => w.pid), sharing.pid, ...sharing.children, layered.pid];
    const { rollups, result } = whileStable(pids, () => {
      const report = reportJson(footprint(['--json', '--group', 'pid', '-p', pids.join(',')]));
      const smaps = pids.map(readSmaps);
      return { report, smem: smem(pids), smaps };
    }, ({ report, smem: theirs, smaps }, rollups) => reportPssAgrees(report, rollups)
      && pids.every((pid, i) => theirs.get(pid)?.pss === sumField(smaps[i], 'Pss')));
    expect(result.smem.size).toBe(pids.length);
    pids.forEach((pid, i) => {
      const group = result.report.groups.find((g) => g.pids[0] === pid)!;
      const theirs = result.smem.get(pid)!;
      const smaps = result.smaps[i];
      // USS = Private_Clean + Private_Dirty: footprint's private, exactly.
      expect(group.private).toBe(theirs.uss);
      expect(group.writable).toBeLessThanOrEqual(theirs.uss);
      expect(group.rss).toBe(theirs.rss);
      // smem sums smaps' per-mapping Pss, each rounded down to a KiB by the kernel;
      // footprint reads smaps_rollup's single, finer sum. Both are the kernel's figures:
      expect(theirs.pss).toBe(sumField(smaps, 'Pss'));
      expect(group.pss).toBe(rollups[i].Pss);
      // so they differ by less than one KiB per mapping, and only where pages are shared.
      expect(group.pss - theirs.pss).toBeGreaterThanOrEqual(0);
      expect(group.pss - theirs.pss).toBeLessThan(smaps.length * KIB);
    });
    // Where nothing is shared, Pss is exact in both.
    for (const pid of writers.map((w) => w.pid)) {
      const group = result.report.groups.find((g) => g.pids[0] === pid)!;
      const privateOnly = readSmaps(pid).filter((m) => m.name === '' && m.perms === 'rw-p');
      expect(sumField(privateOnly, 'Pss')).toBe(sumField(privateOnly, 'Private_Dirty'));
      expect(group.writable).toBeLessThanOrEqual(result.smem.get(pid)!.pss);
    }
  });
});
