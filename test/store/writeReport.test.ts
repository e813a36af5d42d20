import { jest } from '@jest/globals';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

// link() cannot be made to fail with an I/O error for real; only that test sets linkFailure.
let linkFailure: Error | undefined;
const realFs = await import('node:fs');
jest.unstable_mockModule('node:fs', () => ({
  ...realFs,
  linkSync: (...args: Parameters<typeof realFs.linkSync>) => {
    if (linkFailure) throw linkFailure;
    return realFs.linkSync(...args);
  },
}));
const { ReportWriteError, encodeReport, removeStaleTempFiles, writeReportAtomically } = await import('../../src/store/writeReport.js');
const { readReport } = await import('../../src/store/readReport.js');
const { MiB, group, report, tempDir } = await import('../helpers/storeFixtures.js');

const TIME = '2026-11-25T17:45:12.345Z';
const value = report(TIME, [group('a', MiB)]);

describe('writeReportAtomically', () => {
  test('writes one gzip file named by the UTC second, readable as the same report, mode 0600', () => {
    const dir = tempDir();
    const path = writeReportAtomically(dir, value, Date.parse(TIME));
    expect(path).toBe(join(dir, '2026-11-25T174512Z.json.gz'));
    expect(readdirSync(dir)).toEqual(['2026-11-25T174512Z.json.gz']);
    expect(gunzipSync(readFileSync(path)).toString()).toBe(`${JSON.stringify(value)}\n`);
    expect(readReport(path)).toEqual(value);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path)).toEqual(encodeReport(value));
  });

  test('runs in the same second get _2, _3 and nothing is overwritten', () => {
    const dir = tempDir();
    const paths = [1, 2, 3].map((writable) => writeReportAtomically(dir, report(TIME, [group('a', writable * MiB)]), Date.parse(TIME)));
    expect(paths).toEqual(['2026-11-25T174512Z.json.gz', '2026-11-25T174512Z_2.json.gz', '2026-11-25T174512Z_3.json.gz'].map((name) => join(dir, name)));
    expect(paths.map((path) => readReport(path).groups[0].writable / MiB)).toEqual([1, 2, 3]);
    expect(readdirSync(dir).sort()).toEqual(['2026-11-25T174512Z.json.gz', '2026-11-25T174512Z_2.json.gz', '2026-11-25T174512Z_3.json.gz']);
  });

  test('a directory that does not exist: ReportWriteError naming it, nothing written', () => {
    const dir = join(tempDir(), 'missing');
    let caught: unknown;
    try {
      writeReportAtomically(dir, value, Date.parse(TIME));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ReportWriteError);
    expect((caught as Error).message).toBe(`cannot create a file in ${dir}`);
    expect(((caught as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  test('a name taken by something that is not a report (a directory) is skipped, not replaced', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '2026-11-25T174512Z.json.gz'));
    const path = writeReportAtomically(dir, value, Date.parse(TIME));
    expect(path).toBe(join(dir, '2026-11-25T174512Z_2.json.gz'));
    expect(readdirSync(dir).sort()).toEqual(['2026-11-25T174512Z.json.gz', '2026-11-25T174512Z_2.json.gz']);
    expect(statSync(join(dir, '2026-11-25T174512Z.json.gz')).isDirectory()).toBe(true);
  });

  test('linking fails after the data was written (an I/O error, mocked): no temporary file left, no report', () => {
    const dir = tempDir();
    linkFailure = Object.assign(new Error('EIO: i/o error, link'), { code: 'EIO' });
    let caught: unknown;
    try {
      writeReportAtomically(dir, value, Date.parse(TIME));
    } catch (error) {
      caught = error;
    } finally {
      linkFailure = undefined;
    }
    expect(caught).toBeInstanceOf(ReportWriteError);
    expect((caught as Error).message).toBe(`cannot create ${join(dir, '2026-11-25T174512Z.json.gz')}`);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('removeStaleTempFiles', () => {
  test("removes dead writers' and hour-old temporary files, keeps live writers' and everything else", () => {
    const dir = tempDir();
    const deadPid = 2 ** 22 + 12345; // above pid_max's usual limit: no such process
    const names = [
      `.footprint-${deadPid}-abc123.tmp`, `.footprint-${process.ppid}-def456.tmp`, `.footprint-${process.ppid}-01d01d.tmp`,
      `.footprint-${process.pid}-aaa111.tmp`, '2026-11-25T174512Z.json.gz', '.footprint-x-1.tmp', 'other.tmp',
    ];
    for (const name of names) writeFileSync(join(dir, name), '');
    const now = Date.now();
    const hourAgo = new Date(now - 3_600_001 - 1000);
    utimesSync(join(dir, `.footprint-${process.ppid}-01d01d.tmp`), hourAgo, hourAgo);
    removeStaleTempFiles(dir, now);
    expect(readdirSync(dir).sort()).toEqual([
      `.footprint-${process.pid}-aaa111.tmp`, `.footprint-${process.ppid}-def456.tmp`, '.footprint-x-1.tmp', '2026-11-25T174512Z.json.gz', 'other.tmp',
    ].sort());
  });

  test('a missing directory is not an error', () => {
    expect(() => removeStaleTempFiles(join(tempDir(), 'missing'), Date.now())).not.toThrow();
  });
});
