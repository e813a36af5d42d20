import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readReport } from '../../src/store/readReport.js';
import { MiB, ago, group, report, runCli, tempDir, writeReport } from '../helpers/storeFixtures.js';

const A = [10, 20, 30, 25, 40];
const C = [5, 6, 7, 8, 9];

function fiveDays() {
  const dir = tempDir();
  const paths = A.map((a, day) => writeReport(dir, report(ago(4 - day, 1), [
    group('a', a * MiB), group('b', 50 * MiB), group('c', C[day] * MiB),
  ])));
  return { dir, paths };
}

function history(dir: string, ...args: string[]) {
  const result = runCli(['history', '--dir', dir, '--json', ...args]);
  return { ...result, json: result.status === 0 ? JSON.parse(result.stdout) : undefined };
}

const mib = (values: (number | null)[]) => values.map((value) => (value === null ? null : value / MiB));

describe('footprint history', () => {
  test('the top groups by peak, one point per report', () => {
    const { dir } = fiveDays();
    const { status, stderr, json } = history(dir, '--top', '2');
    expect([status, stderr]).toEqual([0, '']);
    expect(json.reports).toBe(5);
    expect(json.stepMs).toBeNull();
    expect(json.series.map((series: { name: string; values: number[]; peak: number; last: number }) =>
      [series.name, mib(series.values), series.peak / MiB, series.last / MiB])).toEqual([
      ['b', [50, 50, 50, 50, 50], 50, 50],
      ['a', A, 40, 40],
    ]);
    expect(existsSync(join(dir, '.footprint-index'))).toBe(true);
  });

  test('--since, --program and --metric choose what is shown', () => {
    const { dir } = fiveDays();
    const { json } = history(dir, '--since', '48h', '--program', 'c', '--program', 'a', '--metric', 'ram');
    // ram = writable + 4 KiB private clean (the fixture) + 0 shared
    expect(json.series.map((series: { name: string; values: number[] }) => [series.name, series.values]))
      .toEqual([['c', [8 * MiB + 4096, 9 * MiB + 4096]], ['a', [25 * MiB + 4096, 40 * MiB + 4096]]]);
    // A name found in no report: exit 1 and one line, as any filter that matches nothing; with one found, a warning.
    const missing = history(dir, '--program', 'nope');
    expect([missing.status, missing.stdout, missing.stderr]).toEqual([1, '', 'footprint: no group matched --program nope in the reports of the last 30d\n']);
    const oneMissing = history(dir, '--program', 'nope', '--program', 'a');
    expect([oneMissing.status, oneMissing.stderr]).toEqual([0, 'footprint: warning: nope is in no report of the range\n']);
  });

  test('a bad file is skipped with one warning line naming it', () => {
    const { dir, paths } = fiveDays();
    writeFileSync(paths[2], readFileSync(paths[2]).subarray(0, 100));
    const { status, stderr, json } = history(dir, '--top', '1', '--program', 'a');
    expect(status).toBe(0);
    expect(stderr).toBe(`footprint: warning: skipping ${paths[2]}: corrupt or truncated gzip (unexpected end of file)\n`);
    expect(json.reports).toBe(4);
    expect(mib(json.series[0].values)).toEqual([10, 20, null, 25, 40]);
  });

  test('the index never disagrees: a rewritten or removed report shows at once, a deleted index is rebuilt', () => {
    const { dir, paths } = fiveDays();
    const first = history(dir, '--program', 'a').json;
    writeReport(dir, report(readReport(paths[4]).time, [group('a', 99 * MiB)]));
    rmSync(paths[0]);
    const second = history(dir, '--program', 'a').json;
    expect(mib(first.series[0].values)).toEqual(A);
    expect(mib(second.series[0].values)).toEqual([20, 30, 25, 99]);
    rmSync(join(dir, '.footprint-index'), { recursive: true });
    expect(history(dir, '--program', 'a').json).toEqual(second);
  });

  test('many reports: peaks per bucket, the same from the reports (in worker threads) and from the index', () => {
    const dir = tempDir();
    const expected = new Map<number, number>();
    const step = 30 * 60_000;
    const end = Math.floor(Date.now() / step) * step - step;
    for (let index = 0; index < 5 * 48; index++) {
      const time = end - index * step;
      const value = ((index * 7919) % 97) + 1;
      writeReport(dir, report(new Date(time).toISOString(), [group('p', value * MiB), group('q', MiB)]));
      const bucket = Math.floor(time / (3 * 3_600_000));
      expected.set(bucket, Math.max(expected.get(bucket) ?? 0, value));
    }
    const cold = history(dir, '--since', '6d');
    expect(cold.stderr).toBe('');
    expect(cold.json.stepMs).toBe(3 * 3_600_000);
    const buckets = [...expected.keys()].sort((x, y) => x - y);
    expect(cold.json.points.map((point: { startMs: number }) => point.startMs)).toEqual(buckets.map((bucket) => bucket * 3 * 3_600_000));
    expect(mib(cold.json.series[0].values)).toEqual(buckets.map((bucket) => expected.get(bucket)));
    expect(history(dir, '--since', '6d').json).toEqual(cold.json);
  });

  test('text: title, table, chart and legend, no escape codes in a pipe', () => {
    const { dir } = fiveDays();
    const result = runCli(['history', '--dir', dir, '--top', '2', '--units', 'MiB']);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('\x1b');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^Writable memory by program, \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} to \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC, 5 reports \(one point per report\)$/);
    expect(lines[1].split(/ {2,}/)).toEqual(['Time (UTC)', '* b', '+ a']);
    expect(lines.slice(3, 8).map((line) => line.split(/ {2,}/).slice(1))).toEqual(A.map((a) => ['50.0 MiB', `${a.toFixed(1)} MiB`]));
    expect(lines).toContain('        * b  (peak 50.0 MiB, last 50.0 MiB)');
    expect(lines).toContain('        + a  (peak 40.0 MiB, last 40.0 MiB)');
    // a 56 MiB axis in 8 MiB steps: b's 50 MiB at every point on the 48 MiB row, a's peak on the 40 MiB row's last point
    expect(lines.find((line) => line.startsWith('56 MiB |'))).toBe('56 MiB |');
    expect(lines.find((line) => line.startsWith('48 MiB |'))!.slice(8).replace(/ /g, '')).toBe('*****');
    expect(lines.find((line) => line.startsWith('40 MiB |'))!.trimEnd().endsWith('+')).toBe(true);
  });

  test('no reports in range: exit 1, one line', () => {
    const dir = tempDir();
    writeReport(dir, report(ago(40), [group('a', MiB)]));
    expect(runCli(['history', '--dir', dir])).toEqual({
      status: 1, stdout: '', stderr: `footprint: no reports saved in ${dir} in the last 30d (1 older)\n`,
    });
  });
});
