/**
 * `footprint shmem` on the five kinds made for real (test/fixtures/shmemKinds.c):
 * a 64 MiB POSIX shm file, a 32 MiB memfd, a 16 MiB unlinked tmpfs file and a
 * 48 MiB SysV segment, each held by its own process, and an 8 MiB /dev/shm file
 * held by none; the built CLI run against the machine's /proc (--json, --csv,
 * the text), and a capture of it replayed with --proc-root.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ShmemAttribution, ShmemRow } from '../../src/holders/shmemAttribution.js';
import { stopChildren } from '../helpers/liveProcesses.js';
import { startServe } from '../helpers/serveProcess.js';
import { assertBuilt, footprint } from '../helpers/runFootprint.js';
import { until } from '../helpers/until.js';
import { startShmemKind, type StartedKind } from '../holders/startShmemKind.js';
import { tempDir } from '../helpers/tempPaths.js';

const MIB = 1024 * 1024;
const PAGE = 4096;
const TAG = `fp-shmem-${process.pid}`;
const POSIX = `${TAG} posix`;
/** A memfd's name is the process's to choose: a newline and an escape in it. */
const MEMFD = `${TAG}\nmem\x1b[31mfd`;
const UNLINKED = `/dev/shm/${TAG}-unlinked`;
/** The orphan's name: a newline and a terminal escape in it, as anyone may name a file in /dev/shm. */
const ORPHAN = `/dev/shm/${TAG}-orphan\n\x1b[2J`;

const children: ChildProcess[] = [];
/** serve, stopped by its PID in afterAll. */
const servers: ChildProcess[] = [];

function startKind(args: string[]): Promise<StartedKind> {
  return startShmemKind(args, children);
}

function shmem(): number {
  return Number(/^Shmem:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
}

/** `footprint shmem --json ARGS`: its rows and the machine's totals. */
function shmemJson(args: string[] = []): ShmemAttribution & { schema: string; rest: { rows: number; bytes: number } } {
  const run = footprint(['shmem', '--json', ...args]);
  if (run.status !== 0) throw new Error(`footprint shmem exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as ShmemAttribution & { schema: string; rest: { rows: number; bytes: number } };
}

/** Within one page of the expected size. */
function nearly(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= PAGE;
}

describe('shmem: the five kinds, made for real, each with its holder', () => {
  let started: Record<'posix' | 'memfd' | 'unlinked' | 'sysv' | 'orphan', StartedKind>;
  let otherBefore = 0;
  let attribution: ShmemAttribution;

  beforeAll(async () => {
    assertBuilt();
    // What this machine's Shmem holds that no row names (here: some MiB no process we can read holds) before the five are made.
    otherBefore = shmemJson().totals.notAttributable.other;
    const [posix, memfd, unlinked, sysv] = await Promise.all([
      startKind(['posix', `/${POSIX}`, '64']),
      startKind(['memfd', MEMFD, '32']),
      startKind(['unlinked', UNLINKED, '16']),
      startKind(['sysv', '48']),
    ]);
    const orphan = await startKind(['orphan', ORPHAN, '8']);
    started = { posix, memfd, unlinked, sysv, orphan };
    // The five are attributed, whole and once: what no row names is what it was before, within 2% of Shmem. Shmem
    // and the reads are not one instant and other processes come and go: read until they agree, as on a quiet machine at once.
    let last = '';
    attribution = await until('the rows and "not attributable" add up to Shmem within 2%', () => {
      const result = shmemJson();
      last = JSON.stringify({ otherBefore, totals: result.totals });
      return Math.abs(result.totals.notAttributable.other - otherBefore) <= 0.02 * result.totals.shmem ? result : undefined;
    }, 60_000).catch((error: Error) => { throw new Error(`${error.message}: ${last}`); });
  }, 90_000);

  afterAll(async () => {
    // SIGTERM: each process removes what only it can (shm_unlink, IPC_RMID); then the same again here, for one that died otherwise.
    await stopChildren(servers, 'SIGTERM');
    await stopChildren(children, 'SIGTERM');
    rmSync(`/dev/shm/${POSIX}`, { force: true });
    rmSync(UNLINKED, { force: true });
    rmSync(ORPHAN, { force: true });
    if (started?.sysv !== undefined && readFileSync('/proc/sysvipc/shm', 'utf8').split('\n').some((line) => line.trim().split(/\s+/)[1] === started.sysv.detail)) {
      spawnSync('ipcrm', ['-m', started.sysv.detail]);
    }
  });

  const rowOf = (predicate: (row: ShmemRow) => boolean): ShmemRow => {
    const rows = attribution.rows.filter(predicate);
    expect(rows).toHaveLength(1);
    return rows[0];
  };

  it('the kernel agrees: the five rows are 168 MiB, and with them Shmem less what no row names is what it was (within 2%)', () => {
    // Not Shmem before and after: other sessions' processes make and free shared memory meanwhile (found as rows of their own).
    const five = attribution.rows.filter((row) => row.name.includes(TAG) || row.pids.includes(started.sysv.pid));
    expect(five).toHaveLength(5);
    expect(Math.abs(five.reduce((sum, row) => sum + row.bytes, 0) - 168 * MIB)).toBeLessThanOrEqual(5 * PAGE);
    expect(shmem()).toBeGreaterThan(168 * MIB);
    expect(Math.abs(attribution.totals.notAttributable.other - otherBefore)).toBeLessThanOrEqual(0.02 * attribution.totals.shmem);
  });

  it('a POSIX shm file: a tmpfs file in /dev/shm, its size from its blocks, held through its mapping', () => {
    const row = rowOf((candidate) => candidate.name === `/dev/shm/${POSIX}`);
    expect(row).toMatchObject({ kind: 'tmpfs', mount: '/dev/shm', bytesSource: 'stat', size: 64 * MIB, pids: [started.posix.pid], orphan: false, uid: 0 });
    expect(nearly(row.bytes, 64 * MIB)).toBe(true);
    expect(row.holders).toEqual([{ pid: started.posix.pid, program: 'shmemKinds', mapped: true, open: false }]);
  });

  it('a memfd: its name as the process gave it, held through its descriptor only', () => {
    const row = rowOf((candidate) => candidate.kind === 'memfd' && candidate.pids.includes(started.memfd.pid));
    expect(row).toMatchObject({ name: `/memfd:${MEMFD}`, bytesSource: 'stat', pids: [started.memfd.pid], orphan: false });
    expect(nearly(row.bytes, 32 * MIB)).toBe(true);
    expect(row.holders[0]).toMatchObject({ mapped: false, open: true });
  });

  it('an unlinked tmpfs file, still mapped: its size from its holder\'s Pss', () => {
    const row = rowOf((candidate) => candidate.kind === 'unlinked' && candidate.name === UNLINKED);
    expect(row).toMatchObject({ mount: '/dev/shm', bytesSource: 'pss', pids: [started.unlinked.pid], orphan: false });
    expect(nearly(row.bytes, 16 * MIB)).toBe(true);
  });

  it('a SysV segment: the kernel\'s rss, its shmid, one attachment, its holder from maps', () => {
    const shmid = Number(started.sysv.detail);
    const row = rowOf((candidate) => candidate.kind === 'sysv' && candidate.sysv?.shmid === shmid);
    expect(row).toMatchObject({ name: '/SYSV00000000', bytesSource: 'sysvipc', size: 48 * MIB, pids: [started.sysv.pid], orphan: false });
    expect(row.sysv).toMatchObject({ key: 0, attached: 1, creatorPid: started.sysv.pid, markedForRemoval: false });
    expect(nearly(row.bytes, 48 * MIB)).toBe(true);
  });

  it('a /dev/shm file held by no process is an orphan', () => {
    const row = rowOf((candidate) => candidate.name === ORPHAN);
    expect(row).toMatchObject({ kind: 'tmpfs', pids: [], holders: [], orphan: true });
    expect(nearly(row.bytes, 8 * MIB)).toBe(true);
    expect(attribution.totals.orphaned).toBeGreaterThanOrEqual(row.bytes);
  });

  it('the totals: the kinds add up to the rows, and the rows and "not attributable" to Shmem', () => {
    const { totals, rows } = attribution;
    expect(Object.values(totals.byKind).reduce((a, b) => a + b, 0)).toBe(totals.attributed);
    expect(rows.reduce((sum, row) => sum + row.bytes, 0)).toBe(totals.attributed);
    expect(totals.attributed + totals.notAttributable.bytes).toBe(totals.shmem);
    // Nothing counted twice: the rows are no more than Shmem (2%: Shmem moves while it is read).
    expect(totals.attributed).toBeLessThanOrEqual(totals.shmem * 1.02);
    // The five made here are among the rows, 168 MiB of them.
    expect(totals.byKind.tmpfs).toBeGreaterThanOrEqual(72 * MIB - 2 * PAGE);
    expect(totals.byKind.memfd).toBeGreaterThanOrEqual(32 * MIB - PAGE);
    expect(totals.byKind.unlinked).toBeGreaterThanOrEqual(16 * MIB - PAGE);
    expect(totals.byKind.sysv).toBeGreaterThanOrEqual(48 * MIB - PAGE);
    // /dev/shm's used blocks (statfs) are its files and the unlinked file found held: no unlinked file unseen there.
    expect(totals.notAttributable.unlinkedUnseen.find((part) => part.mount === '/dev/shm')?.bytes ?? 0).toBeLessThanOrEqual(4 * PAGE);
  });

  it('the text: one line per object with its holder, the orphan with none, every name escaped', () => {
    const run = footprint(['shmem', '--match', TAG]);
    expect(run.status).toBe(0);
    // Nothing the names hold reaches the terminal raw.
    expect(run.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
    const lines = run.stdout.split('\n');
    const orphan = lines.find((line) => line.includes(`${TAG}-orphan\\n\\e[2J`))!;
    // As root PID 1 of a sandbox is still not read: then the text says "no holder read" (some process not read may hold it).
    expect(orphan).toMatch(/^tmpfs\s+8\.0 MiB\s+(held by no process|no holder read)\s/);
    const posix = lines.find((line) => line.includes(POSIX))!;
    expect(posix).toMatch(new RegExp(`^tmpfs\\s+64\\.0 MiB\\s+${started.posix.pid} shmemKinds\\s`));
    expect(lines.find((line) => line.includes(`${TAG}\\nmem\\e[31mfd`))).toMatch(new RegExp(`^memfd\\s+32\\.0 MiB\\s+${started.memfd.pid} shmemKinds`));
    expect(run.stdout).toMatch(/^Shared memory \(meminfo Shmem\): /m);
  });

  it('--csv: a header and one line per object; -n keeps the largest and counts the rest; --match finds by program', () => {
    const csv = footprint(['shmem', '--csv', '--match', TAG]);
    expect(csv.status).toBe(0);
    const [header, ...rows] = csv.stdout.trimEnd().split('\n');
    expect(header).toBe('kind,name,mount,bytes,bytes_source,size,pids,programs,orphan,holders_unknown,uid,shmid,attached');
    const posix = rows.find((row) => row.includes(POSIX))!;
    expect(posix.split(',')).toEqual(expect.arrayContaining(['tmpfs', '/dev/shm', 'stat', String(64 * MIB), String(started.posix.pid), 'shmemKinds', 'false']));
    const top = shmemJson(['-n', '1', '--match', TAG]);
    expect(top.rows).toHaveLength(1);
    expect(top.rows[0].name).toBe(`/dev/shm/${POSIX}`);
    expect(top.rest.rows).toBe(3);
    const byProgram = shmemJson(['--match', '^shmemKinds$']);
    expect(byProgram.rows.map((row) => row.pids[0])).toEqual(expect.arrayContaining([started.posix.pid, started.memfd.pid, started.unlinked.pid, started.sysv.pid]));
  });

  it('a capture replays: the objects its processes map, with their holders, and the SysV segment', () => {
    const dir = tempDir('footprint-shmem-capture-');
    try {
      const pids = [started.posix.pid, started.unlinked.pid, started.sysv.pid, started.memfd.pid];
      const capture = footprint(['capture', '-q', '-p', pids.join(','), join(dir, 'c')]);
      expect(capture.status).toBe(0);
      const replay = shmemJson(['--proc-root', join(dir, 'c', 'proc')]);
      expect(replay.schema).toBe('footprint.shmem/1');
      expect(replay.rows.find((row) => row.name === `/dev/shm/${POSIX}`)).toMatchObject({ kind: 'tmpfs', pids: [started.posix.pid] });
      const unlinked = replay.rows.find((row) => row.name === UNLINKED)!;
      expect(unlinked).toMatchObject({ kind: 'unlinked', bytesSource: 'pss', pids: [started.unlinked.pid] });
      expect(nearly(unlinked.bytes, 16 * MIB)).toBe(true);
      const sysv = replay.rows.find((row) => row.sysv?.shmid === Number(started.sysv.detail))!;
      expect(sysv).toMatchObject({ kind: 'sysv', bytesSource: 'sysvipc', pids: [started.sysv.pid] });
      expect(nearly(sysv.bytes, 48 * MIB)).toBe(true);
      expect(replay.totals.shmem).toBeGreaterThan(168 * MIB);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the report\'s System block (--system) names the largest holders of shared memory and the orphans\' total', () => {
    const run = footprint(['--system', '-n', '1']);
    expect(run.status).toBe(0);
    const line = run.stdout.split('\n').find((candidate) => candidate.startsWith('  Shared memory '))!;
    expect(line).toMatch(/; largest: .+ \(.+\); held by no process: [\d.]+ [KMG]iB in \d+ objects?.*; footprint shmem names every holder\.$/);
    // The bare report's summary stays as it was: no shmem reads there.
    expect(footprint(['-n', '1']).stdout).not.toContain('footprint shmem names every holder');
  });

  /** One gauge's value in a Prometheus text: `name{labels} value`. */
  const gauge = (text: string, series: string): number => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    if (line === undefined) throw new Error(`no ${series} in:\n${text}`);
    return Number(line.slice(series.length + 1));
  };

  it('export: Shmem by kind and the orphans as gauges, adding up to Shmem; promtool finds nothing to say', () => {
    const run = footprint(['export']);
    expect(run.status).toBe(0);
    const kinds = ['tmpfs', 'unlinked', 'memfd', 'sysv', 'shared_anonymous', 'not_attributable'].map((kind) => gauge(run.stdout, `footprint_shmem_bytes{kind="${kind}"}`));
    expect(Math.abs(kinds.reduce((a, b) => a + b, 0) - shmem())).toBeLessThanOrEqual(0.02 * shmem());
    expect(kinds[0]).toBeGreaterThanOrEqual(72 * MIB - 2 * PAGE);
    expect(kinds[3]).toBeGreaterThanOrEqual(48 * MIB - PAGE);
    expect(gauge(run.stdout, 'footprint_shmem_orphaned_bytes')).toBeGreaterThanOrEqual(8 * MIB);
    expect(gauge(run.stdout, 'footprint_shmem_orphaned_objects')).toBeGreaterThanOrEqual(1);
    const check = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: run.stdout, encoding: 'utf8' });
    expect([check.status, check.stdout, check.stderr]).toEqual([0, '', '']);
    // --no-shmem: none of them, and none of their reads.
    const without = footprint(['export', '--no-shmem']);
    expect(without.status).toBe(0);
    expect(without.stdout).toContain('footprint_writable_bytes');
    expect(without.stdout).not.toContain('footprint_shmem_');
  });

  it('serve: the same gauges at a scrape', async () => {
    const { url } = await startServe(servers, ['--min-interval', '0']);
    const body = await (await fetch(`${url}/metrics`)).text();
    expect(gauge(body, 'footprint_shmem_bytes{kind="memfd"}')).toBeGreaterThanOrEqual(32 * MIB - PAGE);
    expect(gauge(body, 'footprint_shmem_orphaned_bytes')).toBeGreaterThanOrEqual(8 * MIB);
  });
});
