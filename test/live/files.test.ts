/**
 * Live: `footprint files` on processes this test starts, against the kernel's
 * own smaps summed here (independently of src/): four Python processes, each
 * importing its own modules, and two C programs (test/fixtures/fileMapper.c)
 * each mapping a file of its own MAP_PRIVATE and dirtying a known number of
 * its pages, one of them under a name with a newline and an escape in it.
 * Then: processes exiting while files reads, a captured tree replayed with
 * --proc-root, user nobody's view, and bad input.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AS_NOBODY, fixtureBinary, NOBODY_UID, stopChildren } from '../helpers/liveProcesses.js';
import { assertBuilt, footprint, footprintAsNobody, FOOTPRINT_BIN, removeNobodyCopy, type RunResult } from '../helpers/runFootprint.js';
import { until } from '../helpers/until.js';
import { tempDir } from '../helpers/tempPaths.js';

const PAGE = 4096;
const KIB = 1024;

interface FilesDocument {
  schema: string;
  files: { path: string; deleted: boolean; processes: number; writable: number; pss: number; rss: number; private: number }[];
  total: { rows: number; writable: number; pss: number };
  processes: { read: number; skipped: Record<string, number> };
}

/** A row of the kernel's figures summed by this test: by the name smaps prints, file mappings only. */
interface KernelRow {
  writable: number;
  pss: number;
  processes: number;
}

const HEADER = /^[0-9a-f]+-[0-9a-f]+\s+\S{4}\s+\S+\s+\S+\s+\d+\s*(.*)$/;

/** Every file mapping's Private_Dirty and Pss, summed by its name as smaps prints it, over the texts of several processes' smaps. */
function sumFileRows(smapsTexts: readonly string[]): Map<string, KernelRow> {
  const rows = new Map<string, KernelRow>();
  smapsTexts.forEach((text) => {
    const seen = new Set<string>();
    let current: KernelRow | undefined;
    for (const line of text.split('\n')) {
      const header = HEADER.exec(line);
      if (header) {
        const name = header[1];
        // Files only: not [heap] and the like, not anonymous memory, not shared memory.
        if (!name.startsWith('/') || /^\/(memfd:|SYSV|dev\/zero)/.test(name)) {
          current = undefined;
          continue;
        }
        current = rows.get(name);
        if (current === undefined) {
          current = { writable: 0, pss: 0, processes: 0 };
          rows.set(name, current);
        }
        if (!seen.has(name)) {
          seen.add(name);
          current.processes++;
        }
        continue;
      }
      const field = /^(Private_Dirty|Pss):\s+(\d+) kB$/.exec(line);
      if (field && current) {
        if (field[1] === 'Pss') current.pss += Number(field[2]) * KIB;
        else current.writable += Number(field[2]) * KIB;
      }
    }
  });
  return rows;
}

function liveSmaps(pids: readonly number[]): string[] {
  return pids.map((pid) => readFileSync(`/proc/${pid}/smaps`, 'utf8'));
}

function filesJson(result: RunResult): FilesDocument {
  if (result.status !== 0) throw new Error(`footprint files exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as FilesDocument;
}

/** footprint's row for the kernel's name ("PATH (deleted)" for a deleted one). */
function rowFor(document: FilesDocument, name: string): FilesDocument['files'][number] | undefined {
  return document.files.find((row) => (row.deleted ? `${row.path} (deleted)` : row.path) === name);
}

function within(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= expected * 0.01 + 8 * KIB;
}

/** The ten file rows with the most writable memory. */
function topTenOf(kernel: Map<string, KernelRow>): [string, KernelRow][] {
  return [...kernel.entries()].sort((x, y) => y[1].writable - x[1].writable).slice(0, 10);
}

function agrees(row: FilesDocument['files'][number] | undefined, expected: KernelRow): boolean {
  return row !== undefined && row.processes === expected.processes && within(row.writable, expected.writable) && within(row.pss, expected.pss);
}

/** A process's state letter from /proc/PID/stat (Z: it has exited, and its mappings are gone); undefined when it is reaped. */
function stateOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/**
 * Runs footprint with ARGS and reads the kernel's sums of PIDS' smaps twice while it runs: after its node has mapped
 * its libraries (its command line is footprint's, and libc is in its maps) and before it has exited. Undefined when
 * footprint ended before both reads were done (a fast machine): the caller tries again.
 */
async function kernelSumsWhileFilesRuns(args: string[], pids: readonly number[]): Promise<{ before: Map<string, KernelRow>; after: Map<string, KernelRow>; document: FilesDocument } | undefined> {
  const outDir = tempDir('footprint-files-out-');
  const outPath = join(outDir, 'out.json');
  const out = openSync(outPath, 'w');
  try {
    const child = spawn(process.execPath, [FOOTPRINT_BIN, ...args], { stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const pid = child.pid!;
    let sums: { before: Map<string, KernelRow>; after: Map<string, KernelRow> } | undefined;
    // A busy wait, on purpose: the child runs for a few hundred ms, and the window is while it holds its mappings.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      let mapped = false;
      try {
        mapped = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(FOOTPRINT_BIN) && /libc[.-]/.test(readFileSync(`/proc/${pid}/maps`, 'utf8'));
      } catch {
        break;
      }
      const state = stateOf(pid);
      if (state === undefined || state === 'Z') break;
      if (!mapped) continue;
      const before = sumFileRows(liveSmaps(pids));
      const after = sumFileRows(liveSmaps(pids));
      const still = stateOf(pid);
      if (still !== undefined && still !== 'Z') sums = { before, after };
      break;
    }
    const code = await exited;
    if (code !== 0) throw new Error(`footprint files exited ${code}: ${stderr}`);
    if (sums === undefined) return undefined;
    return { ...sums, document: JSON.parse(readFileSync(outPath, 'utf8')) as FilesDocument };
  } finally {
    closeSync(out);
    rmSync(outDir, { recursive: true, force: true });
  }
}

let dir: string;
let binary: string;
const children: ChildProcess[] = [];
const pythonPids: number[] = [];
const mapperPids: number[] = [];
const FILE_A = 'fp-files-plain.bin';
// A newline (maps print it \012) and an escape (printed raw by the kernel) in one name.
const FILE_B = 'fp files\nnew\x1bline.bin';

/** A file of `pages` pages, fsync'ed so that its pages are clean. */
function makeFile(name: string, pages: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w', 0o644);
  try {
    writeSync(fd, Buffer.alloc(pages * PAGE, 7));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Resolves with the PID once `child` printed "ready". */
function whenReady(child: ChildProcess, what: string): Promise<number> {
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const early = (code: number | null) => reject(new Error(`${what} exited (${code}) before it was ready`));
    child.once('exit', early);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!/^ready/m.test(out)) return;
      child.off('exit', early);
      resolve(child.pid!);
    });
  });
}

function startMapper(path: string, dirtyPages: number, anonPages: number, asNobody = false): Promise<number> {
  const command = asNobody ? [...AS_NOBODY, binary] : [binary];
  return whenReady(spawn(command[0], [...command.slice(1), path, String(dirtyPages), String(anonPages)], { stdio: ['ignore', 'pipe', 'inherit'] }), `fileMapper ${dirtyPages}`);
}

/** python3 importing `modules`, holding 2 MiB written, then waiting on its stdin (left open) until killed. */
function startPython(modules: string): Promise<number> {
  const code = `import ${modules}\nheld = bytearray(2 * 1024 * 1024)\nfor i in range(0, len(held), 4096): held[i] = 1\nprint('ready', flush=True)\nimport sys\nsys.stdin.read()`;
  return whenReady(spawn('python3', ['-c', code], { stdio: ['pipe', 'pipe', 'inherit'] }), `python3 ${modules}`);
}

beforeAll(async () => {
  assertBuilt();
  binary = fixtureBinary('fileMapper');
  dir = tempDir('footprint-files-');
  chmodSync(dir, 0o755);
  const a = makeFile(FILE_A, 256);
  const b = makeFile(FILE_B, 128);
  spawnSync('sync');
  mapperPids.push(await startMapper(a, 100, 50), await startMapper(b, 37, 0));
  for (const modules of ['json, decimal', 'sqlite3, csv', 'ssl, hashlib', 'ctypes, json']) pythonPids.push(await startPython(modules));
}, 120_000);

afterAll(async () => {
  await stopChildren(children);
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  removeNobodyCopy();
});

describe('footprint files on six processes of known memory', () => {
  test('the ten files with the most writable memory: writable, PSS and process count are the kernel\'s smaps sums', async () => {
    const pids = [...pythonPids, ...mapperPids];
    // Pss of a library is its pages shared out among every process mapping it, footprint's own node among them (libc,
    // libm, the loader): with few processes on a quiet machine, one more sharer moves a library's Pss by several per
    // cent. So the kernel's figures are read while footprint runs, once it has mapped its libraries and before it ends,
    // twice, to see they sat still; other processes that come and go (other tests start python3 too) make an attempt
    // disagree, and it is tried again; the last one is asserted, so that a wrong figure fails with its difference.
    let last: { kernel: Map<string, KernelRow>; document: FilesDocument } | undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      const during = await kernelSumsWhileFilesRuns(['files', '-p', pids.join(','), '--json'], pids);
      if (during === undefined) continue;
      const { before, after, document: run } = during;
      last = { kernel: before, document: run };
      const still = topTenOf(before).every(([name, expected]) => {
        const then = after.get(name);
        return then !== undefined && agrees({ ...then, path: name, deleted: false, rss: 0, private: 0 }, expected);
      });
      if (still && topTenOf(before).every(([name, expected]) => agrees(rowFor(run, name), expected))) break;
    }
    const { kernel, document } = last!;
    expect(document.schema).toBe('footprint.files/1');
    expect(document.processes.read).toBe(6);
    const topTen = topTenOf(kernel);
    expect(topTen).toHaveLength(10);
    for (const [name, expected] of topTen) {
      const row = rowFor(document, name);
      expect({ name, found: row !== undefined }).toEqual({ name, found: true });
      expect({ name, processes: row!.processes }).toEqual({ name, processes: expected.processes });
      expect({ name, writable: row!.writable, ok: within(row!.writable, expected.writable) }).toEqual({ name, writable: row!.writable, ok: true });
      expect({ name, pss: row!.pss, ok: within(row!.pss, expected.pss) }).toEqual({ name, pss: row!.pss, ok: true });
    }
    // The two files the C programs dirtied, exactly: each written page of a private file mapping is a private copy.
    expect(rowFor(document, join(dir, FILE_A))).toMatchObject({ processes: 1, writable: 100 * PAGE });
    expect(rowFor(document, join(dir, FILE_B).replace('\n', '\\012'))).toMatchObject({ processes: 1, writable: 37 * PAGE });
  }, 180_000);

  test('a name with a newline and an escape: the kernel\'s \\012 kept, nothing raw on a terminal\'s text', () => {
    const result = footprint(['files', '-p', mapperPids.join(','), '--match', 'new']);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('\x1b');
    const line = result.stdout.split('\n').find((text) => text.includes('line.bin'));
    // The kernel's backslash is itself escaped (\\), so that no name can pass for another; ESC is \e.
    expect(line).toContain('fp files\\\\012new\\eline.bin');
    expect(line).toMatch(/^\s*148\.0 KiB\s/);
    const csv = footprint(['files', '-p', mapperPids.join(','), '--csv', '--match', 'new']);
    expect(csv.status).toBe(0);
    expect(csv.stdout).not.toContain('\x1b');
    expect(csv.stdout.trim().split('\n')).toHaveLength(2);
  });

  test('--by program --mappings: a file\'s rows by program and permission add up to its row', () => {
    const plain = filesJson(footprint(['files', '-p', pythonPids.join(','), '--json']));
    const split = filesJson(footprint(['files', '-p', pythonPids.join(','), '--json', '--by', 'program', '--mappings']));
    const python = plain.files.find((row) => /libpython|\/python3/.test(row.path) && row.writable > 0);
    expect(python).toBeDefined();
    const parts = split.files.filter((row) => row.path === python!.path);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((row) => /^python3/.test((row as { program?: string }).program ?? ''))).toBe(true);
    expect(parts.reduce((sum, row) => sum + row.writable, 0)).toBe(python!.writable);
  });

  test('-n keeps the total: the rest line sums what it left out', () => {
    const all = filesJson(footprint(['files', '-p', mapperPids.join(','), '--json']));
    const three = filesJson(footprint(['files', '-p', mapperPids.join(','), '--json', '-n', '3']));
    expect(three.files).toHaveLength(3);
    expect(three.total.rows).toBe(all.total.rows);
    expect(three.total.writable).toBe(all.total.writable);
  });
});

describe('footprint files under churn, offline and as nobody', () => {
  test('processes exiting while files reads are counted gone, and the scan goes on', async () => {
    // Python processes live for a few tens of milliseconds each, with a hundred mappings: some exit while their smaps is read.
    const churn = spawn('sh', ['-c', 'while :; do python3 -c "import json" & python3 -c "import json" & python3 -c "import json" & wait; done'], { stdio: 'ignore', detached: true });
    try {
      const gone = await until('a run of footprint files that saw a process exit', () => {
        const document = filesJson(footprint(['files', '--json']));
        expect(rowFor(document, join(dir, FILE_A))).toMatchObject({ writable: 100 * PAGE });
        return (document.processes.skipped.gone ?? 0) > 0 ? document.processes.skipped.gone : undefined;
      }, 90_000);
      expect(gone).toBeGreaterThan(0);
    } finally {
      // Its group: the loop and the Pythons it started, by the group's ID (the loop's PID).
      const ended = new Promise<void>((resolve) => churn.once('exit', () => resolve()));
      process.kill(-churn.pid!, 'SIGKILL');
      await ended;
    }
  }, 120_000);

  test('capture, then --proc-root replays it: the captured smaps\' sums', () => {
    const captureDir = tempDir('footprint-files-capture-');
    try {
      const pids = [...pythonPids, ...mapperPids];
      const captured = footprint(['capture', captureDir, '-p', pids.join(',')]);
      expect(captured.status).toBe(0);
      const procRoot = join(captureDir, 'proc');
      const savedPids = readdirSync(procRoot).filter((name) => /^\d+$/.test(name)).map(Number);
      expect(savedPids.sort()).toEqual([...pids].sort());
      const kernel = sumFileRows(savedPids.map((pid) => readFileSync(join(procRoot, String(pid), 'smaps'), 'utf8')));
      const document = filesJson(footprint(['files', '--proc-root', procRoot, '--json']));
      expect(document.processes.read).toBe(6);
      for (const [name, expected] of kernel) {
        const row = rowFor(document, name);
        expect({ name, writable: row?.writable, pss: row?.pss, processes: row?.processes }).toEqual({ name, ...expected });
      }
    } finally {
      rmSync(captureDir, { recursive: true, force: true });
    }
  });

  test('as nobody: its own processes only, and how many were left out', async () => {
    const nobodyFile = makeFile('fp-files-nobody.bin', 64);
    spawnSync('sync');
    const nobodyPid = await startMapper(nobodyFile, 21, 0, true);
    const document = filesJson(footprintAsNobody(['files', '--json']));
    expect(rowFor(document, nobodyFile)).toMatchObject({ processes: 1, writable: 21 * PAGE });
    expect(rowFor(document, join(dir, FILE_A))).toBeUndefined();
    expect(document.processes.skipped.denied).toBeGreaterThan(0);
    const text = footprintAsNobody(['files', '-n', '3']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^Read \d+ process(es)?; left out \d+ \(denied \d+.*\): other users' processes need root/m);
    // As root, -u picks the same user's processes.
    const byUser = filesJson(footprint(['files', '-u', String(NOBODY_UID), '--json']));
    expect(rowFor(byUser, nobodyFile)).toMatchObject({ processes: 1, writable: 21 * PAGE });
    expect(rowFor(byUser, join(dir, FILE_A))).toBeUndefined();
    expect(nobodyPid).toBeGreaterThan(0);
  }, 120_000);

  test('bad input: one line, exit 2; a filter that finds nothing: one line, exit 1', () => {
    for (const args of [['-n', 'abc'], ['--by', 'inode'], ['-p', 'x'], ['--json', '--csv'], ['--match', '(unclosed'], ['--proc-root', dir], ['-u', 'no-such-user-fp']]) {
      const result = footprint(['files', ...args]);
      expect({ args, status: result.status, stdout: result.stdout }).toEqual({ args, status: 2, stdout: '' });
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    const none = footprint(['files', '-p', mapperPids.join(','), '--match', 'no-such-file-here']);
    expect({ status: none.status, stdout: none.stdout }).toEqual({ status: 1, stdout: '' });
    expect(none.stderr).toMatch(/^footprint: no row matched -p [\d,]+ --match no-such-file-here$/m);
  });
});
