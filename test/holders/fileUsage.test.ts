/**
 * The files view's core on real processes: four Python processes and two C
 * programs (test/fixtures/memhog.c) of known memory, their smaps read once
 * each, summed by the core and, apart, by a few lines here that share no code
 * with src/ (so a bug cannot hide by agreeing with itself).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseSmaps, type SmapsMapping } from '../../src/kernel/procfs/smaps.js';
import { sumsOfMapping } from '../../src/kernel/procfs/smapsSums.js';
import { FileUsageSum, sumFileUsage, type FileRow } from '../../src/holders/fileUsage.js';
import { selectFileRows } from '../../src/holders/selectFiles.js';
import { startMemhog, stopAll, stopChildren, type Memhog } from '../helpers/liveProcesses.js';
import { untilSettled } from '../helpers/procRead.js';

const MIB = 1024 * 1024;
const PYTHON_MIB = [6, 10, 14, 18];

/** A Python process that owns N MiB of written anonymous memory (a bytearray, every page touched), then sleeps. */
function startPython(mib: number, children: ChildProcess[]): Promise<number> {
  const code = `import time\nb = bytearray(${mib} * 1048576)\nfor i in range(0, len(b), 4096): b[i] = 1\nprint('ready', flush=True)\ntime.sleep(600)\n`;
  const child = spawn('python3', ['-c', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (status) => reject(new Error(`python3 exited with ${status}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) resolve(child.pid!);
    });
  });
}

/** One process's smaps text, read once: the core and the independent sums below read the same bytes. */
interface Captured {
  pid: number;
  program: string;
  text: string;
  mappings: SmapsMapping[];
}

/** Independent: mapping name → [Private_Dirty, Pss, processes] from the raw text, the name being everything after the inode column. */
function independentSums(captured: readonly Captured[]): Map<string, { writable: number; pss: number; pids: Set<number> }> {
  const sums = new Map<string, { writable: number; pss: number; pids: Set<number> }>();
  for (const { pid, text } of captured) {
    let name = '';
    for (const line of text.split('\n')) {
      const header = /^[0-9a-f]+-[0-9a-f]+ (\S{4}) \S+ \S+ \d+ *(.*)$/.exec(line);
      if (header !== null) {
        name = header[2] === '' ? (header[1].endsWith('s') ? '[shared anonymous]' : '[anonymous]') : header[2];
        if (name === '/dev/zero (deleted)' && header[1].endsWith('s')) name = '[shared anonymous]';
        if (!sums.has(name)) sums.set(name, { writable: 0, pss: 0, pids: new Set() });
        sums.get(name)!.pids.add(pid);
        continue;
      }
      const counter = /^(Private_Dirty|Pss):\s+(\d+) kB$/.exec(line);
      if (counter !== null) {
        const entry = sums.get(name)!;
        if (counter[1] === 'Pss') entry.pss += Number(counter[2]) * 1024;
        else entry.writable += Number(counter[2]) * 1024;
      }
    }
  }
  return sums;
}

const nameOf = (row: FileRow): string => (row.deleted ? `${row.path} (deleted)` : row.path);

describe('files: every mapped file and anonymous kind across real processes', () => {
  const children: ChildProcess[] = [];
  let captured: Captured[] = [];
  let pythons: number[] = [];
  let hogs: Memhog[] = [];

  beforeAll(async () => {
    pythons = await Promise.all(PYTHON_MIB.map((mib) => startPython(mib, children)));
    hogs = [await startMemhog({ privateMiB: 24, heapKiB: 512 }), await startMemhog({ privateMiB: 4, fileMiB: 3 })];
    for (const hog of hogs) await untilSettled(hog.pid, readFileSync(`/proc/${hog.pid}/cmdline`, 'utf8').split('\0')[0]);
    captured = [...pythons.map((pid) => ({ pid, program: 'python3' })), ...hogs.map(({ pid }) => ({ pid, program: 'memhog' }))].map(({ pid, program }) => {
      const text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
      const result = parseSmaps(text);
      if (!result.ok) throw new Error(`smaps of ${pid}: ${result.error.reason}`);
      return { pid, program, text, mappings: result.value };
    });
  }, 60_000);

  afterAll(async () => {
    await stopChildren(children);
    await stopAll();
  });

  const usageOf = (grouping?: { byProgram: boolean; byPermission: boolean }) =>
    sumFileUsage(captured.map(({ pid, program, mappings }) => ({ owner: { pid, program }, mappings })), grouping);

  it('the ten rows with the most writable memory equal the kernel\'s own sums: writable, PSS and process count', () => {
    const usage = usageOf();
    expect(usage.processes).toBe(6);
    const expected = independentSums(captured);
    const top = usage.rows.slice(0, 10);
    expect(top).toHaveLength(10);
    for (const row of top) {
      const sums = expected.get(nameOf(row));
      expect({ name: nameOf(row), writable: row.writable, pss: row.pss, processes: row.processes })
        .toEqual({ name: nameOf(row), writable: sums?.writable, pss: sums?.pss, processes: sums?.pids.size });
    }
    // Ranked by writable, and the whole adds up: every mapping is in exactly one row.
    for (let i = 1; i < usage.rows.length; i++) expect(usage.rows[i - 1].writable).toBeGreaterThanOrEqual(usage.rows[i].writable);
    const allWritable = [...expected.values()].reduce((sum, entry) => sum + entry.writable, 0);
    expect(usage.rows.reduce((sum, row) => sum + row.writable, 0)).toBe(allWritable);
  });

  it('anonymous memory is one row across the six, holding every byte the programs wrote', () => {
    const anonymous = usageOf().rows.find((row) => row.path === '[anonymous]')!;
    expect(anonymous.kind).toBe('anonymous');
    expect(anonymous.processes).toBe(6);
    const written = (PYTHON_MIB.reduce((a, b) => a + b, 0) + 24 + 4) * MIB;
    expect(anonymous.writable).toBeGreaterThanOrEqual(written);
    // Python's own arenas beside the arrays: a few MiB, not tens.
    expect(anonymous.writable).toBeLessThan(written + 40 * MIB);
    const heap = usageOf().rows.find((row) => row.path === '[heap]')!;
    expect(heap.writable).toBeGreaterThanOrEqual(512 * 1024);
  });

  it('a library\'s mappings are one row; by permission they split into rows that add up to it', () => {
    const whole = usageOf().rows.filter((row) => /\/libc\.so\.6$/.test(row.path));
    // memhog is static: libc is the Pythons'.
    expect(whole).toHaveLength(1);
    expect(whole[0]).toMatchObject({ kind: 'file', deleted: false, processes: 4 });
    expect(whole[0].mappings).toBeGreaterThanOrEqual(4 * 4);
    const split = usageOf({ byProgram: false, byPermission: true }).rows.filter((row) => row.path === whole[0].path);
    expect(split.map((row) => row.permissions).sort()).toEqual(expect.arrayContaining(['r--p', 'r-xp', 'rw-p']));
    for (const figure of ['writable', 'pss', 'rss', 'private', 'mappings'] as const) {
      expect(split.reduce((sum, row) => sum + row[figure], 0)).toBe(whole[0][figure]);
    }
    // The code is clean, the data (and relro, once written) dirty: the jump tables the article counts.
    expect(split.find((row) => row.permissions === 'r-xp')!.writable).toBe(0);
    expect(split.find((row) => row.permissions === 'rw-p')!.writable).toBeGreaterThan(0);
  });

  it('by program: which programs pay for a file', () => {
    const rows = usageOf({ byProgram: true, byPermission: false }).rows;
    const anonymous = rows.filter((row) => row.path === '[anonymous]');
    expect(anonymous.map((row) => [row.program, row.processes]).sort()).toEqual([['memhog', 2], ['python3', 4]]);
    const memhogAnonymous = anonymous.find((row) => row.program === 'memhog')!;
    expect(memhogAnonymous.writable).toBeGreaterThanOrEqual(28 * MIB);
    expect(memhogAnonymous.writable).toBeLessThan(29 * MIB);
  });

  it('a deleted file is marked, and its clean pages are private', () => {
    const deleted = usageOf().rows.filter((row) => row.deleted);
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ kind: 'file', processes: 1, writable: 0, private: 3 * MIB });
    expect(nameOf(deleted[0])).toMatch(/ \(deleted\)$/);
  });

  it('a process handed over in two parts counts once', () => {
    const sum = new FileUsageSum();
    const [first] = captured;
    const half = Math.floor(first.mappings.length / 2);
    sum.beginProcess({ pid: first.pid, program: first.program });
    for (const mapping of first.mappings.slice(0, half)) sum.add(sumsOfMapping(mapping));
    sum.beginProcess({ pid: first.pid, program: first.program });
    for (const mapping of first.mappings.slice(half)) sum.add(sumsOfMapping(mapping));
    const usage = sum.result();
    expect(usage.processes).toBe(1);
    expect(usage.rows.every((row) => row.processes === 1)).toBe(true);
    expect(usage.rows.find((row) => row.path === '[anonymous]')!.mappings).toBe(first.mappings.filter((mapping) => mapping.backing.kind === 'anonymous' && !mapping.permissions.shared).length);
  });

  it('selection: --match on the path, -n with the rest summed, the total of what matched', () => {
    const usage = usageOf();
    const view = selectFileRows(usage, { limit: 3 });
    expect(view.rows).toEqual(usage.rows.slice(0, 3));
    expect(view.rest.rows).toBe(usage.rows.length - 3);
    expect(view.total.writable).toBe(usage.rows.reduce((sum, row) => sum + row.writable, 0));
    expect(view.rest.writable + view.rows.reduce((sum, row) => sum + row.writable, 0)).toBe(view.total.writable);
    const libraries = selectFileRows(usage, { pattern: { source: '\\.so', test: (text) => /\.so/.test(text) } });
    expect(libraries.rows.length).toBeGreaterThan(0);
    expect(libraries.rows.every((row) => row.path.includes('.so'))).toBe(true);
    const byPss = selectFileRows(usage, { sortBy: 'pss' });
    for (let i = 1; i < byPss.rows.length; i++) expect(byPss.rows[i - 1].pss).toBeGreaterThanOrEqual(byPss.rows[i].pss);
  });
});
