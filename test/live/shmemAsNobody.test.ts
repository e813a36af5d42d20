/**
 * `footprint shmem` without root, for real: the built CLI run as user nobody
 * (setpriv). nobody's own objects are named with their holders; root's memfd
 * is not attributable; root's /dev/shm file is listed (the walk sees it) but
 * its holder is not read, so it is "no holder read", not an orphan for
 * certain.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { ShmemAttribution } from '../../src/holders/shmemAttribution.js';
import { NOBODY_UID, stopChildren } from '../helpers/liveProcesses.js';
import { assertBuilt, footprintAsNobody, removeNobodyCopy } from '../helpers/runFootprint.js';
import { startShmemKind } from '../holders/startShmemKind.js';

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
  let pids: Record<'rootFile' | 'rootMemfd' | 'nobodyFile' | 'nobodyMemfd', number>;
  let attribution: ShmemAttribution;

  beforeAll(async () => {
    assertBuilt();
    const [rootFile, rootMemfd, nobodyFile, nobodyMemfd] = await Promise.all([
      startKind(['posix', `/${ROOT_FILE}`, '4'], false),
      startKind(['memfd', ROOT_MEMFD, '8'], false),
      startKind(['posix', `/${NOBODY_FILE}`, '3'], true),
      startKind(['memfd', NOBODY_MEMFD, '2'], true),
    ]);
    pids = { rootFile, rootMemfd, nobodyFile, nobodyMemfd };
    const run = footprintAsNobody(['shmem', '--json']);
    if (run.status !== 0) throw new Error(`footprint shmem as nobody: ${run.status} ${run.stderr}`);
    attribution = JSON.parse(run.stdout) as ShmemAttribution;
  }, 150_000);

  afterAll(async () => {
    await stopChildren(children, 'SIGTERM');
    rmSync(`/dev/shm/${ROOT_FILE}`, { force: true });
    rmSync(`/dev/shm/${NOBODY_FILE}`, { force: true });
    removeNobodyCopy();
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
