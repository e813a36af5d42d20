/**
 * The shmem view's core without root, for real: the reads of
 * readShmemInputs.ts and attributeShmem bundled (esbuild) and run as user
 * nobody (setpriv). nobody's own objects are named with their holders; root's
 * memfd is not attributable; root's /dev/shm file is listed (the walk sees
 * it) but its holder is not read, so it is "no holder read", not an orphan
 * for certain.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { ShmemAttribution } from '../../src/holders/shmemAttribution.js';
import { AS_NOBODY, NOBODY_UID, stopChildren } from '../helpers/liveProcesses.js';
import { startShmemKind } from './startShmemKind.js';

const MIB = 1024 * 1024;
const PAGE = 4096;
const TAG = `fp-nobody-${process.pid}`;
const ROOT_FILE = `${TAG}-root`;
const NOBODY_FILE = `${TAG}-nobody`;
const ROOT_MEMFD = `${TAG}-root-memfd`;
const NOBODY_MEMFD = `${TAG}-nobody-memfd`;

const children: ChildProcess[] = [];

async function startKind(args: string[], asNobody: boolean): Promise<number> {
  return (await startShmemKind(args, children, asNobody)).pid;
}

describe('shmem as user nobody: own objects named, the rest not attributable', () => {
  let dir = '';
  let pids: Record<'rootFile' | 'rootMemfd' | 'nobodyFile' | 'nobodyMemfd', number>;
  let attribution: ShmemAttribution;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'footprint-holders-'));
    chmodSync(dir, 0o755);
    const script = join(dir, 'attribute.mjs');
    buildSync({
      stdin: {
        contents: "import { attributeShmem } from './src/holders/shmemAttribution.ts';\nimport { readShmemInputs } from './test/holders/readShmemInputs.ts';\n"
          + 'process.stdout.write(JSON.stringify(attributeShmem(readShmemInputs())));\n',
        resolveDir: fileURLToPath(new URL('../..', import.meta.url)),
        loader: 'ts',
      },
      bundle: true, platform: 'node', format: 'esm', outfile: script, logLevel: 'warning',
    });
    chmodSync(script, 0o644);
    const [rootFile, rootMemfd, nobodyFile, nobodyMemfd] = await Promise.all([
      startKind(['posix', `/${ROOT_FILE}`, '4'], false),
      startKind(['memfd', ROOT_MEMFD, '8'], false),
      startKind(['posix', `/${NOBODY_FILE}`, '3'], true),
      startKind(['memfd', NOBODY_MEMFD, '2'], true),
    ]);
    pids = { rootFile, rootMemfd, nobodyFile, nobodyMemfd };
    const run = spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), process.execPath, script], { encoding: 'utf8', maxBuffer: 64 * MIB, timeout: 120_000 });
    if (run.status !== 0) throw new Error(`attribute.mjs as nobody: ${run.status} ${run.stderr}`);
    attribution = JSON.parse(run.stdout) as ShmemAttribution;
  }, 150_000);

  afterAll(async () => {
    await stopChildren(children, 'SIGTERM');
    rmSync(`/dev/shm/${ROOT_FILE}`, { force: true });
    rmSync(`/dev/shm/${NOBODY_FILE}`, { force: true });
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('nobody\'s own objects: named, sized within a page, with their holder', () => {
    const file = attribution.rows.find((row) => row.name === `/dev/shm/${NOBODY_FILE}`)!;
    expect(file).toMatchObject({ kind: 'tmpfs', pids: [pids.nobodyFile], orphan: false, uid: NOBODY_UID });
    expect(Math.abs(file.bytes - 3 * MIB)).toBeLessThanOrEqual(PAGE);
    const memfd = attribution.rows.find((row) => row.name === `/memfd:${NOBODY_MEMFD}`)!;
    expect(memfd).toMatchObject({ kind: 'memfd', pids: [pids.nobodyMemfd], bytesSource: 'stat' });
    expect(Math.abs(memfd.bytes - 2 * MIB)).toBeLessThanOrEqual(PAGE);
  });

  it('root\'s file is listed by the walk, its holder not read: "no holder read", counted among orphans that may be held', () => {
    const file = attribution.rows.find((row) => row.name === `/dev/shm/${ROOT_FILE}`)!;
    expect(file).toMatchObject({ kind: 'tmpfs', pids: [], orphan: true, holdersUnknown: true, uid: 0 });
    expect(Math.abs(file.bytes - 4 * MIB)).toBeLessThanOrEqual(PAGE);
    expect(attribution.totals.maybeHeld.bytes).toBeGreaterThanOrEqual(file.bytes);
    expect(attribution.totals.unreadable).toBeGreaterThan(0);
  });

  it('root\'s memfd is no row: its 8 MiB are in "not attributable", and the parts still add up to Shmem', () => {
    expect(attribution.rows.some((row) => row.name.includes(ROOT_MEMFD))).toBe(false);
    expect(attribution.rows.every((row) => !row.pids.includes(pids.rootMemfd) && !row.pids.includes(pids.rootFile))).toBe(true);
    const { totals } = attribution;
    expect(totals.notAttributable.other).toBeGreaterThanOrEqual(8 * MIB - PAGE);
    expect(totals.attributed + totals.notAttributable.bytes).toBe(totals.shmem);
  });
});
