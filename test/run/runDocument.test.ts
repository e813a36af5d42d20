import { describe, expect, it } from '@jest/globals';
import { buildRunDocument } from '../../src/run/runDocument.js';
import { exitStatusOf, type RunRecord } from '../../src/run/runCommand.js';
import { Timeline } from '../../src/sample/timeline.js';
import { parseInterval } from '../../src/cli/sizeArgs.js';
import { formatMs, renderRunSummary } from '../../src/render/runSummary.js';

const MiB = 1024 * 1024;

function record(writables: number[], overrides: Partial<RunRecord> = {}): RunRecord {
  const timeline = new Timeline();
  writables.forEach((writable, index) => timeline.add({
    ms: index * 20, writable, private: writable, shared: MiB, ram: writable + MiB, swap: 0, rss: writable + 2 * MiB, processes: writable > 0 ? 2 : 0,
  }));
  return {
    command: ['app', '--flag'], exitCode: 0, signal: null, wallMs: 1234.6, userMs: 900, sysMs: 120, faults: { minor: 5000, major: 2 },
    timeline, peakRam: Math.max(...writables) + MiB, peakRss: Math.max(...writables) + 2 * MiB,
    sampleCount: writables.length, processesSeen: 3, intervalMs: 20, finalIntervalMs: 20, forwarded: [], marks: [], marksDropped: 0,
    end: { ms: 0, writable: 7 * MiB, private: 7 * MiB, shared: MiB, ram: 8 * MiB, swap: 0, rss: 9 * MiB, processes: 2, members: [], denied: 0 },
    ...overrides,
  };
}

describe('the footprint.run/1 document', () => {
  it('peak from the sample with most writable memory, end from the last sample that measured the tree', () => {
    const doc = buildRunDocument(record([MiB, 5 * MiB, 9 * MiB, 7 * MiB]));
    expect(doc).toMatchObject({
      schema: 'footprint.run/1', command: ['app', '--flag'], exitCode: 0, signal: null, wallMs: 1235, userMs: 900, sysMs: 120,
      peak: { writable: 9 * MiB, ram: 10 * MiB, rss: 11 * MiB, ms: 40, processes: 2 },
      end: { writable: 7 * MiB, ram: 8 * MiB }, faults: { minor: 5000, major: 2 }, processesSeen: 3, intervalMs: 20, marks: [],
    });
    expect(doc.samples[2]).toEqual({ ms: 40, writable: 9 * MiB, private: 9 * MiB, shared: MiB, ram: 10 * MiB, swap: 0, processes: 2 });
  });

  it("exit status: CMD's code, else 128 + the signal's number", () => {
    expect(exitStatusOf({ exitCode: 3, signal: null })).toBe(3);
    expect(exitStatusOf({ exitCode: null, signal: 'SIGKILL' })).toBe(137);
    expect(exitStatusOf({ exitCode: null, signal: 'SIGINT' })).toBe(130);
  });
});

describe('the summary on stderr', () => {
  it('leads with writable memory, then faults, times and sampling, then the chart', () => {
    const text = renderRunSummary(buildRunDocument(record([MiB, 5 * MiB, 9 * MiB, 7 * MiB])), { units: 'MiB', samples: 4, finalIntervalMs: 80 });
    const lines = text.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'footprint: app --flag exited with 0 after 1.24 s',
      '  Peak writable     9.0 MiB at 40 ms, across 2 processes (sampled: a peak between samples is missed)',
      '  Writable at end   7.0 MiB',
      '  Peak RAM used     10.0 MiB; peak RSS 11.0 MiB (sums over the tree)',
      "  Page faults       5000 minor, 2 major (the whole tree, from the kernel's accounting)",
      '  Time              1.24 s wall, 900 ms user, 120 ms system',
      '  Processes         3 seen; 4 samples every 20 ms at first, at most 80 ms apart',
    ]);
    // Four samples, four columns: bars of ceil(8 x 1/9, 5/9, 9/9, 7/9) = 1, 5, 8 and 7 rows, the peak marked.
    expect(lines.slice(7, 17)).toEqual([
      '  9.0 MiB |  #',
      '          |  ##',
      '          |  ##',
      '          | ###',
      '          | ###',
      '          | ###',
      '          | ###',
      '          |####',
      '  0.0 MiB +----',
      '            ^ peak 9.0 MiB at 40 ms',
    ]);
  });

  it('a command too short for one sample says so instead of figures', () => {
    const run = buildRunDocument(record([0], { processesSeen: 0, signal: 'SIGTERM', exitCode: null }));
    const text = renderRunSummary(run, { units: 'auto', samples: 1, finalIntervalMs: 20 });
    expect(text.split('\n').slice(0, 2)).toEqual([
      'footprint: app --flag was killed by SIGTERM after 1.24 s',
      '  Memory            not sampled: the command ended before the first sample',
    ]);
  });

  it('durations read as people write them', () => {
    expect([formatMs(340.4), formatMs(12_345), formatMs(185_000)]).toEqual(['340 ms', '12.35 s', '3m05s']);
    expect(['100ms', '2s', '1.5s', '5m', '1h'].map((text) => parseInterval('--interval', text))).toEqual([100, 2000, 1500, 300_000, 3_600_000]);
    expect(() => parseInterval('--interval', '0ms')).toThrow('--interval: "0ms" is not a duration (examples: 100ms, 2s, 5m, 1h)');
    expect(() => parseInterval('--interval', '5')).toThrow('is not a duration');
  });
});
