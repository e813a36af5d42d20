import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  INDEX_DIR_NAME, forEachSegment, refreshDay, removeOrphanSegments, segmentPath, updateIndex, type DayNames,
} from '../../src/store/historyIndex.js';
import { listReportDays } from '../../src/store/listReportDays.js';
import type { Segment } from '../../src/store/indexSegment.js';
import { MiB, group, report, tempDir, writeReport } from '../helpers/storeFixtures.js';

const DAY = '2026-11-24';
const at = (hour: number) => `${DAY}T${String(hour).padStart(2, '0')}:00:00.000Z`;

function days(dir: string): DayNames[] {
  return [...listReportDays(dir)].map(([day, names]) => ({ day, names }));
}

/** Per day, per file: the writable figure of each group by name, as history reads it. */
async function read(dir: string): Promise<Record<string, Record<string, Record<string, number> | string>>> {
  const result: Record<string, Record<string, Record<string, number> | string>> = {};
  await forEachSegment(dir, days(dir), ['nameId', 'writable'], (segment: Segment) => {
    const files: Record<string, Record<string, number> | string> = {};
    const ids = segment.columns.nameId!.values;
    const { values, scale } = segment.columns.writable!;
    for (const file of segment.files) {
      if (file.bad !== undefined) {
        files[file.name] = file.bad;
        continue;
      }
      const figures: Record<string, number> = {};
      for (let row = file.firstRow; row < file.firstRow + file.rowCount; row++) figures[segment.names[ids[row]]] = (values[row] * scale) / MiB;
      files[file.name] = figures;
    }
    result[segment.day] = files;
  }, { workers: 0 });
  return result;
}

function stamp(path: string): string {
  const stats = statSync(path);
  return `${stats.ino}:${stats.mtimeMs}`;
}

function threeReports() {
  const dir = tempDir();
  const paths = [1, 2, 3].map((hour) => writeReport(dir, report(at(hour), [group('a', hour * MiB), group('b', 10 * MiB)])));
  writeReport(dir, report('2026-11-25T05:00:00.000Z', [group('c', 7 * MiB)]));
  return { dir, paths };
}

const expectedThree = {
  '2026-11-24': {
    '2026-11-24T010000Z.json.gz': { a: 1, b: 10 },
    '2026-11-24T020000Z.json.gz': { a: 2, b: 10 },
    '2026-11-24T030000Z.json.gz': { a: 3, b: 10 },
  },
  '2026-11-25': { '2026-11-25T050000Z.json.gz': { c: 7 } },
};

describe('history index', () => {
  test('builds one segment per day, then reuses it while the files are unchanged', async () => {
    const { dir } = threeReports();
    expect(await read(dir)).toEqual(expectedThree);
    expect(readdirSync(join(dir, INDEX_DIR_NAME)).sort()).toEqual(['2026-11-24.idx', '2026-11-25.idx']);
    const before = stamp(segmentPath(dir, DAY));
    expect(await read(dir)).toEqual(expectedThree);
    // Not rewritten: a rewrite goes through a new file (new inode) renamed over the old one.
    expect(stamp(segmentPath(dir, DAY))).toBe(before);
  });

  test('a day is brought up to date when a file is added, removed or rewritten', async () => {
    const { dir, paths } = threeReports();
    await read(dir);
    writeReport(dir, report(at(4), [group('a', 4 * MiB)]));
    rmSync(paths[0]);
    writeReport(dir, report(at(2), [group('a', 20 * MiB)]));
    expect((await read(dir))[DAY]).toEqual({
      '2026-11-24T020000Z.json.gz': { a: 20 },
      '2026-11-24T030000Z.json.gz': { a: 3, b: 10 },
      '2026-11-24T040000Z.json.gz': { a: 4 },
    });
    // and that state is what the segment now holds
    const segment = refreshDay(dir, DAY, listReportDays(dir).get(DAY)!, ['writable']);
    expect(segment.files.map((file) => [file.name, file.rowCount])).toEqual([
      ['2026-11-24T020000Z.json.gz', 1], ['2026-11-24T030000Z.json.gz', 2], ['2026-11-24T040000Z.json.gz', 1],
    ]);
  });

  test('a rewrite in place that keeps size and mtime is still seen (ctime changes)', async () => {
    const dir = tempDir();
    const path = writeReport(dir, report(at(1), [group('a', 1 * MiB)]), false);
    const seconds = Math.floor(Date.now() / 1000) - 60; // whole seconds: utimes can set exactly these again
    utimesSync(path, seconds, seconds);
    await read(dir);
    const old = statSync(path);
    const text = JSON.stringify(report(at(1), [group('a', 2 * MiB)]));
    writeFileSync(path, text.padEnd(old.size - 1) + '\n');
    utimesSync(path, seconds, seconds);
    expect([statSync(path).size, statSync(path).mtimeMs, statSync(path).ino]).toEqual([old.size, old.mtimeMs, old.ino]);
    expect(await read(dir)).toEqual({ [DAY]: { '2026-11-24T010000Z.json': { a: 2 } } });
  });

  test('a bad report is listed with its reason, and fixing it shows at once', async () => {
    const { dir, paths } = threeReports();
    writeFileSync(paths[2], 'not json');
    expect((await read(dir))[DAY]['2026-11-24T030000Z.json.gz']).toBe('not JSON');
    writeReport(dir, report(at(3), [group('a', 3 * MiB), group('b', 10 * MiB)]));
    expect(await read(dir)).toEqual(expectedThree);
  });

  test('a damaged segment is rebuilt', async () => {
    const { dir } = threeReports();
    await read(dir);
    writeFileSync(segmentPath(dir, DAY), 'FPIDX2\n\0garbage');
    expect(await read(dir)).toEqual(expectedThree);
  });

  test('an unwritable index still gives the right answers', async () => {
    const { dir, paths } = threeReports();
    // A file where the index directory should be: no segment can be written, whoever runs the test.
    writeFileSync(join(dir, INDEX_DIR_NAME), '');
    expect(await read(dir)).toEqual(expectedThree);
    rmSync(paths[0]);
    const { [DAY]: day } = await read(dir);
    expect(Object.keys(day)).toEqual(['2026-11-24T020000Z.json.gz', '2026-11-24T030000Z.json.gz']);
    updateIndex(dir, new Set([DAY]));
    expect(statSync(join(dir, INDEX_DIR_NAME)).isFile()).toBe(true);
  });

  test('orphan segments and hour-old temporary files are removed, others kept', async () => {
    const { dir } = threeReports();
    await read(dir);
    const index = join(dir, INDEX_DIR_NAME);
    writeFileSync(join(index, '2026-11-01.idx'), '');
    writeFileSync(join(index, '2026-11-24.idx.1-ab.tmp'), '');
    writeFileSync(join(index, '2026-11-25.idx.2-cd.tmp'), '');
    writeFileSync(join(index, 'notes.txt'), '');
    const old = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(join(index, '2026-11-24.idx.1-ab.tmp'), old, old);
    removeOrphanSegments(dir, new Set(listReportDays(dir).keys()));
    expect(readdirSync(index).sort()).toEqual(['2026-11-24.idx', '2026-11-25.idx', '2026-11-25.idx.2-cd.tmp', 'notes.txt']);
  });

  test('updateIndex (used by save) makes the named days current and drops days left without reports', async () => {
    const { dir, paths } = threeReports();
    updateIndex(dir, new Set([DAY]));
    expect(readdirSync(join(dir, INDEX_DIR_NAME))).toEqual(['2026-11-24.idx']);
    const written = stamp(segmentPath(dir, DAY));
    expect(await read(dir)).toEqual(expectedThree);
    expect(stamp(segmentPath(dir, DAY))).toBe(written);
    for (const path of paths) rmSync(path);
    updateIndex(dir, new Set([DAY]));
    expect(readdirSync(join(dir, INDEX_DIR_NAME))).toEqual(['2026-11-25.idx']);
  });

  test('a missing report directory has no days', () => {
    const dir = join(tempDir(), 'missing');
    expect(listReportDays(dir)).toEqual(new Map());
    mkdirSync(dir);
    updateIndex(dir, new Set([DAY]));
    expect(readdirSync(dir)).toEqual([]);
  });
});
