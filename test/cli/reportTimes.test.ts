import { describe, expect, test } from '@jest/globals';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MiB, ago, group, nameFor, report, runCli, tempDir, writeReport } from '../helpers/storeFixtures.js';

/*
 * Report times (issue 12): a file named for 2099 must not win `latest`, nor
 * stretch `history` to 2099; a file whose name and own time are days apart
 * (a renamed copy) is not the report of that name's time.
 */

function directory() {
  const dir = tempDir('footprint-times-');
  const [twoDaysAgo, oneDayAgo] = [ago(2), ago(1)];
  const older = writeReport(dir, report(twoDaysAgo, [group('a', 10 * MiB)]));
  const newer = writeReport(dir, report(oneDayAgo, [group('a', 30 * MiB)]));
  return { dir, older, newer, twoDaysAgo, oneDayAgo };
}

/** A report named `name` whose own time is `time`. */
function writeNamed(dir: string, name: string, time: string, writable: number): string {
  const path = join(dir, name);
  writeFileSync(path, gzipSync(`${JSON.stringify(report(time, [group('a', writable)]))}\n`));
  return path;
}

describe('latest and previous', () => {
  test('a report named for the future is passed over with one warning naming it', () => {
    const { dir, older, newer } = directory();
    // Named and dated 2099 alike: the name is what made it win before.
    const future = writeNamed(dir, '2099-01-01T000000Z.json.gz', '2099-01-01T00:00:00Z', 999 * MiB);
    const result = runCli(['diff', 'previous', 'latest', '--dir', dir, '--json']);
    expect(result.stderr).toBe(`footprint: warning: skipping ${future}: its name is a time in the future (2099-01-01 00:00:00 UTC)\n`);
    expect(result.status).toBe(0);
    const diff = JSON.parse(result.stdout);
    expect([diff.old.file, diff.new.file]).toEqual([older, newer]);
    expect(diff.totals.change.writable).toBe(20 * MiB);
  });

  test('a report whose name and own time are more than a day apart is passed over; its time in the future too', () => {
    const { dir, older, newer } = directory();
    const [hourAgo, threeDaysAgo] = [ago(0, 1), ago(3)];
    // A copy of a three-day-old report, renamed to an hour ago.
    const renamed = writeNamed(dir, nameFor(hourAgo), threeDaysAgo, 5 * MiB);
    const result = runCli(['diff', 'previous', 'latest', '--dir', dir, '--json']);
    expect(result.stderr).toBe(
      `footprint: warning: skipping ${renamed}: its name says ${utc(hourAgo)} but its time is ${utc(threeDaysAgo)}, more than a day apart\n`);
    expect(JSON.parse(result.stdout).new.file).toBe(newer);
    // Named an hour ago, dated in 2099.
    renameSync(renamed, join(dir, 'gone.tmp'));
    const forward = writeNamed(dir, nameFor(hourAgo), '2099-06-01T12:00:00Z', 5 * MiB);
    const again = runCli(['diff', 'previous', 'latest', '--dir', dir, '--json']);
    expect(again.stderr).toBe(`footprint: warning: skipping ${forward}: its time is in the future (2099-06-01 12:00:00 UTC)\n`);
    expect(JSON.parse(again.stdout).old.file).toBe(older);
  });

  test('an unusable newest report is passed over too, with its reason', () => {
    const { dir, older, newer } = directory();
    const broken = join(dir, nameFor(ago(0, 1)));
    writeFileSync(broken, gzipSync('{"schema": "footprint.report/1"').subarray(0, 20));
    const result = runCli(['diff', 'previous', 'latest', '--dir', dir, '--json']);
    expect(result.stderr).toBe(`footprint: warning: skipping ${broken}: corrupt or truncated gzip (unexpected end of file)\n`);
    const diff = JSON.parse(result.stdout);
    expect([diff.old.file, diff.new.file]).toEqual([older, newer]);
  });

  test('a report that is in time is used as before: no warning', () => {
    const { dir, older, newer } = directory();
    const result = runCli(['diff', 'previous', 'latest', '--dir', dir, '--json']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    const diff = JSON.parse(result.stdout);
    expect([diff.old.file, diff.new.file]).toEqual([older, newer]);
  });
});

describe('history', () => {
  test('leaves out a report named for the future and a renamed copy, one warning each; the range ends at the real last report', () => {
    const { dir, twoDaysAgo, oneDayAgo } = directory();
    const [hourAgo, threeDaysAgo] = [ago(0, 1), ago(3)];
    const future = writeNamed(dir, '2099-01-01T000000Z.json.gz', '2099-01-01T00:00:00Z', 999 * MiB);
    const renamed = writeNamed(dir, nameFor(hourAgo), threeDaysAgo, 5 * MiB);
    const result = runCli(['history', '--dir', dir, '--json']);
    expect(result.stderr).toBe([
      `footprint: warning: skipping ${future}: its name is a time in the future (2099-01-01 00:00:00 UTC)\n`,
      `footprint: warning: skipping ${renamed}: its name says ${utc(hourAgo)} but its time is ${utc(threeDaysAgo)}, more than a day apart\n`,
    ].sort().join(''));
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.reports).toBe(2);
    // The renamed copy's point is a gap; nothing reaches 2099.
    expect(json.points.map((point: { startMs: number }) => point.startMs)).toEqual([twoDaysAgo, oneDayAgo, hourAgo].map(Date.parse));
    expect(json.series[0].values.map((value: number | null) => (value === null ? null : value / MiB))).toEqual([10, 30, null]);
  });
});

function utc(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')} UTC`;
}
