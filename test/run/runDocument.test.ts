import { describe, expect, it } from '@jest/globals';
import { buildRunDocument } from '../../src/run/runDocument.js';
import { exitStatusOf, type RunRecord } from '../../src/run/runCommand.js';
import { Timeline } from '../../src/sample/timeline.js';
import { parseInterval } from '../../src/cli/values/size.js';
import { formatMs, renderMarksTable, renderRunSummary } from '../../src/render/runSummary.js';
import { placeMarkLabels } from '../../src/render/runHtml.js';

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

describe("the summary's command line", () => {
  const firstLine = (command: string[]) => renderRunSummary(buildRunDocument(record([MiB], { command })), { units: 'MiB', samples: 1, finalIntervalMs: 20 }).split('\n')[0];

  it('quoted as a shell would need it typed (shellQuote), as before for plain words, spaces, quotes and empty words', () => {
    expect(firstLine(['python3', '-c', 'import time, json', "it's", '', 'a=b,c:d/e.f'])).toBe(
      `footprint: python3 -c 'import time, json' 'it'\\''s' '' a=b,c:d/e.f exited with 0 after 1.24 s`,
    );
  });

  it('shell characters are quoted now (they were shown bare), and control characters still escaped inside the quotes', () => {
    expect(firstLine(['sh', '-c', 'echo $HOME;ls *', 'a\tb', 'back\\slash', 'caf\u00e9'])).toBe(
      "footprint: sh -c 'echo $HOME;ls *' 'a\\tb' 'back\\\\slash' 'caf\u00e9' exited with 0 after 1.24 s",
    );
    expect(firstLine(['printf', '%s\x1b[31m'])).toBe("footprint: printf '%s\\e[31m' exited with 0 after 1.24 s");
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

describe('what the summary and the page say of an exact run', () => {
  const sampling = { samples: 4, longestGapMs: 48, medianGapMs: 20, probes: 180, probesPerSecond: 146, probeLongestGapMs: 11, triggered: { high: 2, change: 0, newMember: 0, mark: 0 } };

  it('the measured spacing, the probe, the kernel\'s VmHWM and cgroup charge, and who was followed', () => {
    const doc = buildRunDocument(record([MiB, 5 * MiB, 9 * MiB, 7 * MiB], {
      sampling, followed: 1, kernel: { vmHwm: { bytes: 12 * MiB, pid: 4242 }, cgroup: { peak: 13 * MiB, anon: 64 * 1024, file: 32 * 1024, shmem: 0, kernel: 16 * 1024, source: 'memory.max_usage_in_bytes' } },
    }));
    const lines = renderRunSummary(doc, { units: 'MiB', samples: 4, finalIntervalMs: 80 }).split('\n');
    expect(lines.slice(1, 13)).toEqual([
      '  Peak writable     9.0 MiB at 40 ms, across 2 processes (sampled; a probe between samples sampled each new high)',
      '  Writable at end   7.0 MiB',
      '  Peak RAM used     10.0 MiB; peak RSS 11.0 MiB (sums over the tree, sampled)',
      "  Peak RSS, exact   12.0 MiB (the kernel's VmHWM of PID 4242, the largest process; exact for it alone)",
      "  Kernel's charge   peak 13.0 MiB (the run's memory cgroup, memory.max_usage_in_bytes: page cache and kernel memory included)",
      '                    at the end: anon 0.1 MiB, file 0.0 MiB (shmem 0.0 MiB), kernel 0.0 MiB',
      "  Page faults       5000 minor, 2 major (the whole tree, from the kernel's accounting; not counted: the 1 process that left the tree)",
      '  Time              1.24 s wall, 900 ms user, 120 ms system',
      '  Processes         3 seen, 1 of them followed after leaving the tree; 4 samples, median 20 ms apart, longest gap 48 ms (measured)',
      '  Probe             180 probes, 146 a second, longest gap 11 ms; 2 samples at a new high',
      '  9.0 MiB |  #',
      '          |  ##',
    ]);
  });

  it('a command whose memory footprint may not read: denied, with the samples tried (not "ended before the first sample")', () => {
    const doc = buildRunDocument(record([0, 0], { processesSeen: 0, deniedSamples: 45, sampling }));
    expect(renderRunSummary(doc, { units: 'auto', samples: 45, finalIntervalMs: 20 }).split('\n')[1])
      .toBe("  Memory            not measured: footprint may not read the command's memory (denied, 45 samples tried: another user's or a setuid program)");
  });

  it('marks: a table of label, time, writable memory and change', () => {
    const marks = [{ ms: 120, text: 'imported', writable: 5 * MiB, ram: 6 * MiB, change: 5 * MiB }, { ms: 1500, text: 'parsed', writable: 3 * MiB, ram: 4 * MiB, change: -2 * MiB }, { ms: 1600, text: 'no sample' }];
    expect(renderMarksTable(buildRunDocument(record([MiB], { marks })), 'MiB')).toEqual([
      '  Marks',
      '       time  writable    change  line',
      '  1  120 ms   5.0 MiB  +5.0 MiB  imported',
      '  2  1.50 s   3.0 MiB  -2.0 MiB  parsed',
      '  3  1.60 s         -         -  no sample',
    ]);
  });
});

describe('mark labels on the page', () => {
  it('never overlap: a label goes to the first lane where it fits, else it is shortened to its number', () => {
    const texts = ['step one', 'step two', 'a very long line of output that goes on and on', 'x'];
    const placed = placeMarkLabels(texts, [100, 110, 120, 990], 1000, 2);
    expect(placed.map((label) => [label.lane, label.text])).toEqual([[0, '1 step one'], [1, '2 step two'], [2, '3'], [0, '4 x']]);
    // Past the right edge the label ends at its mark.
    expect(placed[3].x).toBe(990 - 4 - 3 * 7);
    for (const [index, a] of placed.entries()) {
      for (const b of placed.slice(index + 1)) {
        if (a.lane === b.lane) expect(a.x + a.text.length * 7 <= b.x || b.x + b.text.length * 7 <= a.x).toBe(true);
      }
    }
  });
});
