import {
  HistoryAccumulator, bucketOf, finishSeries, planBuckets,
} from '../../src/reduce/historySeries.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 24, 10, 7, 30); // 2026-11-24 10:07:30

describe('planBuckets', () => {
  test('one point per report while they fit', () => {
    const times = [T0, T0 + MINUTE, T0 + 2 * MINUTE];
    expect(planBuckets(times, 3)).toEqual({ stepMs: null, originMs: 0, starts: times });
    expect([0, 1, 2].map((index) => bucketOf(planBuckets(times, 3), times[index], index))).toEqual([0, 1, 2]);
  });

  test('else the first width that fits, aligned to UTC', () => {
    // 5-minute reports over 10 hours: 121 reports; 5 min (121 buckets) and 15 min (41) do not fit 24, 30 min (21) does.
    const times = Array.from({ length: 121 }, (_, index) => T0 + index * 5 * MINUTE);
    const plan = planBuckets(times, 24);
    expect(plan.stepMs).toBe(30 * MINUTE);
    expect(plan.originMs).toBe(Date.UTC(2026, 10, 24, 10, 0));
    expect(plan.starts.length).toBe(21);
    expect(plan.starts[20]).toBe(Date.UTC(2026, 10, 24, 20, 0));
    expect(bucketOf(plan, T0, 0)).toBe(0);
    expect(bucketOf(plan, Date.UTC(2026, 10, 24, 10, 29, 59), 99)).toBe(0);
    expect(bucketOf(plan, Date.UTC(2026, 10, 24, 10, 30), 0)).toBe(1);
    expect(bucketOf(plan, times[120], 120)).toBe(20);
  });

  test('a year into 60 points: one week each', () => {
    const times = Array.from({ length: 366 }, (_, index) => T0 + index * DAY);
    const plan = planBuckets(times, 60);
    expect(plan.stepMs).toBe(7 * DAY);
    expect(plan.starts.length).toBeLessThanOrEqual(60);
    expect(plan.starts[0]).toBeLessThanOrEqual(T0);
    expect(plan.starts[0] % (7 * DAY)).toBe(0);
  });

  test('beyond the widest width: whole days that fit, even where UTC alignment adds a bucket', () => {
    const times = Array.from({ length: 41 }, (_, index) => T0 + index * 25 * DAY); // 1000 days
    for (const maxPoints of [1, 2, 3, 30]) {
      const plan = planBuckets(times, maxPoints);
      expect(plan.stepMs! % DAY).toBe(0);
      expect(plan.stepMs!).toBeGreaterThan(28 * DAY);
      expect(plan.starts.length).toBeLessThanOrEqual(maxPoints);
      expect(bucketOf(plan, times[40], 40)).toBe(plan.starts.length - 1);
    }
    expect(planBuckets(times, 30).stepMs).toBe(34 * DAY);
  });
});

describe('HistoryAccumulator and finishSeries', () => {
  const plan = { stepMs: HOUR, originMs: 0, starts: [0, HOUR, 2 * HOUR, 3 * HOUR] };

  function accumulate(): HistoryAccumulator {
    const accumulator = new HistoryAccumulator(4);
    const feed: [number, string, number][] = [
      [0, 'a', 5], [0, 'a', 3], [0, 'b', 1],
      [1, 'a', 2], [1, 'b', 9], [1, 'c', 4],
      // bucket 2: no reports
      [3, 'a', 7], [3, 'b', 0],
    ];
    for (const bucket of [0, 0, 1, 3]) accumulator.addReport(bucket);
    for (const [bucket, name, value] of feed) accumulator.addValue(bucket, accumulator.nameId(name), value);
    accumulator.nameId('unseen');
    return accumulator;
  }

  test('the peak per bucket, NaN where a group was in no report', () => {
    const accumulator = accumulate();
    expect(accumulator.names).toEqual(['a', 'b', 'c', 'unseen']);
    expect([...accumulator.peaksOf(0)]).toEqual([5, 2, Number.NaN, 7]);
    expect([...accumulator.peaksOf(2)]).toEqual([Number.NaN, 4, Number.NaN, Number.NaN]);
    expect([...accumulator.reportsPerBucket]).toEqual([2, 1, 0, 1]);
  });

  test('top N by peak, ties by name; values null in gaps; last is the last known figure', () => {
    const history = finishSeries(accumulate(), plan, { metric: 'writable', groupBy: 'program', top: 2 });
    expect(history).toEqual({
      metric: 'writable', groupBy: 'program', stepMs: HOUR,
      points: [{ startMs: 0, reports: 2 }, { startMs: HOUR, reports: 1 }, { startMs: 2 * HOUR, reports: 0 }, { startMs: 3 * HOUR, reports: 1 }],
      series: [
        { name: 'b', values: [1, 9, null, 0], peak: 9, last: 0 },
        { name: 'a', values: [5, 2, null, 7], peak: 7, last: 7 },
      ],
      missing: [],
    });
    const tie = new HistoryAccumulator(1);
    for (const name of ['z', 'y', 'x']) tie.addValue(0, tie.nameId(name), 1);
    expect(finishSeries(tie, { stepMs: null, originMs: 0, starts: [0] }, { metric: 'ram', groupBy: 'user', top: 5 }).series.map((series) => series.name))
      .toEqual(['x', 'y', 'z']);
  });

  test('chosen programs in the order asked; the ones without points are missing', () => {
    const history = finishSeries(accumulate(), plan, { metric: 'writable', groupBy: 'program', top: 5, programs: ['c', 'nope', 'a', 'unseen'] });
    expect(history.series.map((series) => series.name)).toEqual(['c', 'a']);
    expect(history.missing).toEqual(['nope', 'unseen']);
  });
});

