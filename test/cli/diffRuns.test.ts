import { describe, expect, test } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MiB, ago, group, report, runCli, tempDir, writeReport } from '../helpers/storeFixtures.js';

function runDocument(peak: number, end: number, minor: number, wallMs: number) {
  return {
    schema: 'footprint.run/1', tool: 'footprint test', command: ['./server', '--selftest'], exitCode: 0, signal: null,
    wallMs, userMs: 100, sysMs: 10, peak: { writable: peak, ram: peak + MiB, rss: peak + 2 * MiB, ms: 120, processes: 2 },
    end: { writable: end, ram: end + MiB }, faults: { minor, major: 1 }, processesSeen: 2, intervalMs: 20, samples: [], marks: [],
  };
}

function write(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('footprint diff OLD.json NEW.json of two runs', () => {
  const dir = tempDir();
  const before = write(dir, 'before.json', runDocument(70 * MiB, 7 * MiB, 30_000, 723));
  const after = write(dir, 'after.json', runDocument(64 * MiB, 7 * MiB, 28_000, 700));

  test('--json: footprint.rundiff/1, each figure old, new and change', () => {
    const result = runCli(['diff', before, after, '--json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      schema: 'footprint.rundiff/1',
      old: { file: before, command: ['./server', '--selftest'] },
      new: { file: after, command: ['./server', '--selftest'] },
      peakWritable: { old: 70 * MiB, new: 64 * MiB, change: -6 * MiB },
      endWritable: { old: 7 * MiB, new: 7 * MiB, change: 0 },
      minorFaults: { old: 30_000, new: 28_000, change: -2000 },
      majorFaults: { old: 1, new: 1, change: 0 },
      wallMs: { old: 723, new: 700, change: -23 },
    });
  });

  test('text: a row per figure', () => {
    const result = runCli(['diff', before, after]);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').map((line) => line.trimEnd())).toEqual([
      `${before} (./server --selftest) -> ${after} (./server --selftest)`,
      '                      Old       New    Change',
      '---------------------------------------------',
      'Peak writable    70.0 MiB  64.0 MiB  -6.0 MiB',
      'Writable at end   7.0 MiB   7.0 MiB       0 B',
      'Minor faults        30000     28000     -2000',
      'Major faults            1         1         0',
      'Wall time          723 ms    700 ms    -23 ms',
      '',
    ]);
  });

  test('--fail-over: exit 3 when the peak grew by more, 0 when not', () => {
    expect(runCli(['diff', after, before, '--fail-over', '4MiB'])).toMatchObject({
      status: 3, stderr: 'footprint: peak writable memory grew by 6.0 MiB, more than 4.0 MiB\n',
    });
    expect(runCli(['diff', after, before, '--fail-over', '6MiB']).status).toBe(0);
    expect(runCli(['diff', before, after, '--fail-over', '1KiB']).status).toBe(0);
  });

  test('a run and a report, or a broken run document: exit 2, naming the files', () => {
    const saved = writeReport(dir, report(ago(1), [group('a', MiB)]));
    expect(runCli(['diff', before, saved])).toEqual({
      status: 2, stdout: '', stderr: `footprint: cannot compare a run document with a report: ${before} is a run, ${saved} a report\n`,
    });
    const broken = write(dir, 'broken.json', { ...runDocument(1, 1, 1, 1), peak: { writable: -5 } });
    expect(runCli(['diff', broken, after])).toEqual({
      status: 2, stdout: '', stderr: `footprint: ${broken}: "peak.writable" is not a whole number of bytes\n`,
    });
  });
});
