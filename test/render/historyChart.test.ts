import { renderHistoryChart, renderHistoryTable, renderHistoryTitle } from '../../src/render/historyChart.js';
import type { HistorySeries } from '../../src/reduce/historySeries.js';

const MiB = 1024 * 1024;
const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 24, 0, 0);

const history: HistorySeries = {
  metric: 'writable', groupBy: 'program', stepMs: 6 * HOUR,
  points: [0, 1, 2, 3, 4].map((index) => ({ startMs: START + index * 6 * HOUR, reports: index === 2 ? 0 : 3 })),
  series: [
    { name: 'db', values: [40 * MiB, 60 * MiB, null, 80 * MiB, 80 * MiB], peak: 80 * MiB, last: 80 * MiB },
    { name: 'web', values: [0, 20 * MiB, null, 20 * MiB, 40 * MiB], peak: 40 * MiB, last: 40 * MiB },
  ],
  missing: [],
};

/** Figures on the 16 MiB steps of an 80 MiB axis, so that each mark sits exactly on its row. */
const onTicks: HistorySeries = {
  ...history,
  series: [
    { name: 'db', values: [32 * MiB, 64 * MiB, null, 80 * MiB, 80 * MiB], peak: 80 * MiB, last: 80 * MiB },
    { name: 'web', values: [0, 16 * MiB, null, 16 * MiB, 48 * MiB], peak: 48 * MiB, last: 48 * MiB },
  ],
};

describe('history chart without colour', () => {
  test('exact lines: marks per group, a row per round binary tick (80 MiB top, 16 MiB steps), time axis, legend', () => {
    // 5 points in 20 columns: a slot of 4 each; 18 columns with room for the second group after the last point.
    expect(renderHistoryChart(onTicks, { fancy: false, width: 20 }).split('\n')).toEqual([
      '80 MiB |            *   *',
      '64 MiB |    *',
      '48 MiB |                +',
      '32 MiB |*',
      '16 MiB |    +       +',
      '   0 B |+',
      '       +------------------',
      // too long for one axis line under the chart's 18 columns: first .. last
      '        2026-11-24 00:00 .. 2026-11-25 00:00',
      '        * db  (peak 80.0 MiB, last 80.0 MiB)',
      '        + web  (peak 48.0 MiB, last 48.0 MiB)',
      '',
    ]);
  });

  test('the axis ends at the first round binary tick at or above the peak', () => {
    const lines = renderHistoryChart(history, { fancy: false, width: 20 }).split('\n');
    // A peak of 80 MiB in at most 9 rows: 16 MiB steps; 60 MiB falls nearest 64, 20 nearest 16, 40 (halfway) rounds up.
    expect(lines.slice(0, 6)).toEqual([
      '80 MiB |            *   *',
      '64 MiB |    *',
      '48 MiB |*               +',
      '32 MiB |',
      '16 MiB |    +       +',
      '   0 B |+',
    ]);
  });

  test('where lines meet, both marks show, side by side in their slot', () => {
    const meeting: HistorySeries = {
      ...history,
      points: history.points.slice(0, 1),
      series: [
        { name: 'big', values: [10 * MiB], peak: 10 * MiB, last: 10 * MiB },
        { name: 'same', values: [10 * MiB], peak: 10 * MiB, last: 10 * MiB },
      ],
    };
    // 10 MiB on a 16 MiB axis of 8 MiB steps (at most 2 for 3 rows) falls on the 8 MiB row.
    expect(renderHistoryChart(meeting, { fancy: false, height: 3 }).split('\n').slice(0, 4)).toEqual([
      '16 MiB |',
      ' 8 MiB |*+',
      '   0 B |',
      '       +--',
    ]);
  });

  test('colour only wraps the marks; the text is the same without the escape codes', () => {
    const plain = renderHistoryChart(history, { fancy: false, height: 5, width: 20 });
    const fancy = renderHistoryChart(history, { fancy: true, height: 5, width: 20 });
    expect(fancy).toContain('\x1b[31m*\x1b[0m');
    expect(fancy).toContain('\x1b[32m+\x1b[0m');
    expect(fancy.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });

  test('title and table: points without reports are left out, gaps are "-"', () => {
    expect(renderHistoryTitle(history, 12)).toBe('Writable memory by program, 2026-11-24 00:00 to 2026-11-25 00:00 UTC, 12 reports (peak per 6 hours)\n');
    expect(renderHistoryTable(history, { units: 'MiB', fancy: false }).split('\n')).toEqual([
      'Time (UTC)            * db     + web',
      '------------------------------------',
      '2026-11-24 00:00  40.0 MiB   0.0 MiB',
      '2026-11-24 06:00  60.0 MiB  20.0 MiB',
      '2026-11-24 18:00  80.0 MiB  20.0 MiB',
      '2026-11-25 00:00  80.0 MiB  40.0 MiB',
      '',
    ]);
  });
});
