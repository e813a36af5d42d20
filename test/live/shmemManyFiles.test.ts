/**
 * `footprint shmem` on a /dev/shm of 10,000 files (issue 23; its time and
 * memory are measured by bench/shmem.mjs): it completes and finds every one,
 * each an orphan of one page, and the parts still add up to Shmem.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ShmemAttribution } from '../../src/holders/shmemAttribution.js';
import { assertBuilt, footprint } from '../helpers/runFootprint.js';

const FILES = 10_000;
const PAGE = 4096;
const DIRECTORY = `/dev/shm/fp-many-${process.pid}`;

describe('shmem with 10,000 files in /dev/shm', () => {
  beforeAll(() => {
    assertBuilt();
    mkdirSync(DIRECTORY);
    const page = Buffer.alloc(PAGE, 1);
    for (let i = 0; i < FILES; i++) {
      const fd = openSync(join(DIRECTORY, `f${i}`), 'w');
      try {
        writeSync(fd, page);
      } finally {
        closeSync(fd);
      }
    }
  }, 120_000);

  afterAll(() => {
    rmSync(DIRECTORY, { recursive: true, force: true });
  });

  it('completes, finds every file as an orphan of one page, and the parts add up to Shmem', () => {
    const run = footprint(['shmem', '--json', '--match', `^${DIRECTORY}/`]);
    expect(run.status).toBe(0);
    const document = JSON.parse(run.stdout) as ShmemAttribution;
    expect(document.rows).toHaveLength(FILES);
    expect(document.rows.every((row) => row.kind === 'tmpfs' && row.orphan && row.pids.length === 0 && row.bytes === PAGE)).toBe(true);
    expect(document.totals.orphans).toBeGreaterThanOrEqual(FILES);
    expect(document.totals.orphaned).toBeGreaterThanOrEqual(FILES * PAGE);
    expect(document.totals.attributed + document.totals.notAttributable.bytes).toBe(document.totals.shmem);
  });

  it('-n 3: three rows, the rest counted, the totals the whole machine\'s', () => {
    const run = footprint(['shmem', '--json', '-n', '3', '--match', `^${DIRECTORY}/`]);
    expect(run.status).toBe(0);
    const document = JSON.parse(run.stdout) as ShmemAttribution & { rest: { rows: number; bytes: number } };
    expect(document.rows).toHaveLength(3);
    expect(document.rest).toEqual({ rows: FILES - 3, bytes: (FILES - 3) * PAGE });
    expect(document.totals.orphans).toBeGreaterThanOrEqual(FILES);
  });
});
