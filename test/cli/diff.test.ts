import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { MiB, group, report, runCli, tempDir, writeReport } from '../helpers/storeFixtures.js';

function twoReports() {
  const dir = tempDir();
  const older = writeReport(dir, report('2026-11-24T03:00:00Z', [
    group('postgres', 100 * MiB, 50 * MiB, 4), group('nginx', 20 * MiB, 10 * MiB, 2), group('cron', 1 * MiB), group('sshd', 2 * MiB),
  ]));
  const newer = writeReport(dir, report('2026-11-25T03:00:00Z', [
    group('postgres', 260 * MiB, 52 * MiB, 5), group('nginx', 18 * MiB, 10 * MiB, 2), group('sshd', 2 * MiB), group('leaky', 40 * MiB),
  ]));
  return { dir, older, newer };
}

describe('footprint diff', () => {
  test('--json: per group change, largest writable growth first, new and gone marked', () => {
    const { older, newer } = twoReports();
    const result = runCli(['diff', older, newer, '--json', '--all']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const diff = JSON.parse(result.stdout);
    expect(diff.schema).toBe('footprint.diff/1');
    expect(diff.old).toEqual({ file: older, time: '2026-11-24T03:00:00Z', host: 'testhost' });
    expect(diff.new.file).toBe(newer);
    expect(diff.changes.map((change: { name: string; status: string; change: { writable: number; shared: number; count: number } }) =>
      [change.name, change.status, change.change.writable / MiB, change.change.shared / MiB, change.change.count])).toEqual([
      ['postgres', 'both', 160, 2, 1],
      ['leaky', 'new', 40, 0, 1],
      ['sshd', 'both', 0, 0, 0],
      ['cron', 'gone', -1, 0, -1],
      ['nginx', 'both', -2, 0, 0],
    ]);
    expect(diff.totals.change.writable).toBe(197 * MiB);
    expect(diff.totals.new.ram).toBe((260 + 18 + 2 + 40) * MiB + 4 * 4096 + 62 * MiB);
  });

  test('text: changed groups only (new and gone marked after the name), a total line, unchanged counted', () => {
    const { older, newer } = twoReports();
    const result = runCli(['diff', older, newer, '--units', 'MiB']);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`${older} (2026-11-24T03:00:00Z) -> ${newer} (2026-11-25T03:00:00Z)`);
    expect(lines.slice(1).map((line) => line.split(/ {2,}/))).toEqual([
      ['Program', 'Writable', 'Private', 'Shared', 'RAM used', 'Procs', 'Now'],
      [expect.stringMatching(/^-+$/)],
      ['postgres', '+160.0 MiB', '+160.0 MiB', '+2.0 MiB', '+162.0 MiB', '+1', '260.0 MiB'],
      ['leaky (new)', '+40.0 MiB', '+40.0 MiB', '0.0 MiB', '+40.0 MiB', '+1', '40.0 MiB'],
      ['cron (gone)', '-1.0 MiB', '-1.0 MiB', '0.0 MiB', '-1.0 MiB', '-1', '-'],
      ['nginx', '-2.0 MiB', '-2.0 MiB', '0.0 MiB', '-2.0 MiB', '0', '18.0 MiB'],
      [expect.stringMatching(/^-+$/)],
      ['Total', '+197.0 MiB', '+197.0 MiB', '+2.0 MiB', '+199.0 MiB', '+1', '320.0 MiB'],
      ['1 unchanged group not shown (--all lists them)'],
      [''],
    ]);
  });

  test('--fail-over: exit 3 naming what grew past it, 0 when nothing did', () => {
    const { older, newer } = twoReports();
    const over = runCli(['diff', older, newer, '--fail-over', '30MiB']);
    expect(over.status).toBe(3);
    expect(over.stderr).toBe('footprint: writable memory grew by more than 30.0 MiB: postgres (+160.0 MiB), leaky (+40.0 MiB)\n');
    expect(over.stdout).toContain('postgres');
    const under = runCli(['diff', older, newer, '--fail-over', '160MiB', '--json']);
    expect(under.status).toBe(0);
    expect(under.stderr).toBe('');
    expect(runCli(['diff', older, newer, '--fail-over', 'lots']).status).toBe(2);
  });

  test('latest, previous and a day resolve in the report directory', () => {
    const { dir, older, newer } = twoReports();
    const third = writeReport(dir, report('2026-11-24T22:00:00Z', [group('postgres', 10 * MiB)]));
    const byRef = JSON.parse(runCli(['diff', 'previous', 'latest', '--json'], { FOOTPRINT_DIR: dir }).stdout);
    expect([byRef.old.file, byRef.new.file]).toEqual([third, newer]);
    const byDay = JSON.parse(runCli(['diff', '2026-11-24', '2026-11-25', '--json', '--dir', dir]).stdout);
    expect([byDay.old.file, byDay.new.file]).toEqual([third, newer]);
    expect(older).not.toBe(third);
    const missingDay = runCli(['diff', '2026-11-20', 'latest', '--dir', dir]);
    expect(missingDay.status).toBe(2);
    expect(missingDay.stderr).toBe(`footprint: "2026-11-20": no report saved on that day (UTC) in ${dir}\n`);
    const empty = tempDir();
    expect(runCli(['diff', 'previous', 'latest', '--dir', empty]).stderr).toBe(`footprint: "previous": no saved reports in ${empty}\n`);
  });

  test.each([
    ['a truncated gzip', (data: Buffer) => data.subarray(0, data.length - 20), 'corrupt or truncated gzip (unexpected end of file)'],
    ['JSON of another shape', () => gzipSync('{"hello": "world"}'), 'not a footprint report (schema is missing)'],
    ['not JSON', () => Buffer.from('hello'), 'not JSON'],
    ['a newer schema', (data: Buffer) => gzipSync(JSON.stringify({ ...JSON.parse(gunzip(data)), schema: 'footprint.report/2' })),
      'written as footprint.report/2, newer than this footprint reads (footprint.report/1); upgrade footprint'],
    ['a group without figures', (data: Buffer) => {
      const value = JSON.parse(gunzip(data));
      delete value.groups[1].writable;
      return Buffer.from(JSON.stringify(value));
    }, 'groups[1]: "writable" is not a whole number of bytes'],
  ])('%s: exit 2 naming the file', (_label, damage, reason) => {
    const { older, newer } = twoReports();
    writeFileSync(newer, damage(readFileSync(newer)));
    const result = runCli(['diff', older, newer]);
    expect(result).toEqual({ status: 2, stdout: '', stderr: `footprint: ${newer}: ${reason}\n` });
  });

  test('reports grouped differently: exit 2 naming both', () => {
    const dir = tempDir();
    const byProgram = writeReport(dir, report('2026-11-24T03:00:00Z', [group('a', MiB)]));
    const byUser = writeReport(dir, report('2026-11-25T03:00:00Z', [group('root', MiB)], 'user'));
    expect(runCli(['diff', byProgram, byUser])).toEqual({
      status: 2, stdout: '',
      stderr: `footprint: cannot compare reports grouped differently: ${byProgram} by program, ${byUser} by user\n`,
    });
    expect(runCli(['diff', join(dir, 'nope.json'), byUser]).stderr)
      .toBe(`footprint: ${join(dir, 'nope.json')}: no such report file (nor latest, previous or a YYYY-MM-DD day)\n`);
  });

  test('plain .json reports are read too', () => {
    const dir = tempDir();
    const older = writeReport(dir, report('2026-11-24T03:00:00Z', [group('a', MiB)]), false);
    const newer = writeReport(dir, report('2026-11-25T03:00:00Z', [group('a', 3 * MiB)]));
    const diff = JSON.parse(runCli(['diff', older, newer, '--json']).stdout);
    expect(diff.changes[0].change.writable).toBe(2 * MiB);
  });
});

function gunzip(data: Buffer): string {
  return gunzipSync(data).toString('utf8');
}
