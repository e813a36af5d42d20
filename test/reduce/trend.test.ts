import { describe, expect, it } from '@jest/globals';
import { judgeTrend, MinimaBuckets, rSquared, theilSenSlope } from '../../src/reduce/trend.js';

const MiB = 1024 * 1024;

/** A series sampled every 2 s for `count` samples, through the buckets as a watch keeps them. */
function judge(count: number, valueAt: (index: number) => number) {
  const buckets = new MinimaBuckets(2000);
  for (let index = 0; index < count; index++) buckets.add(index * 2000, valueAt(index));
  return judgeTrend(buckets.minima(), buckets.samples);
}

describe('the trend of a watched series', () => {
  it('steady growth of 1 MiB a minute: growing, at that rate, a straight line', () => {
    const trend = judge(300, (i) => 100 * MiB + Math.round((i * 2000 * MiB) / 60_000));
    expect(trend.verdict).toBe('growing');
    expect(trend.bytesPerHour / MiB).toBeCloseTo(60, 0);
    expect(trend.r2).toBeGreaterThan(0.99);
  });

  it("a garbage collector's sawtooth around a flat floor: steady", () => {
    // Climbs 40 MiB over 10 samples, collected back to the floor, again and again.
    expect(judge(300, (i) => 100 * MiB + (i % 10) * 4 * MiB).verdict).toBe('steady');
  });

  it('a sawtooth whose floor rises: growing', () => {
    expect(judge(300, (i) => 100 * MiB + (i % 10) * 4 * MiB + i * 64 * 1024).verdict).toBe('growing');
  });

  it('a one-off step (a cache filled once) is not growth, wherever it falls', () => {
    for (const at of [30, 100, 150, 200, 270]) {
      expect([at, judge(300, (i) => (i < at ? 100 : 160) * MiB).verdict]).toEqual([at, 'steady']);
    }
  });

  it('a steady decline: shrinking', () => {
    expect(judge(300, (i) => 400 * MiB - i * 256 * 1024).verdict).toBe('shrinking');
  });

  it('noise of a few pages on a flat level: steady', () => {
    expect(judge(300, (i) => 100 * MiB + ((i * 7919) % 13) * 4096).verdict).toBe('steady');
  });

  it('fewer than 20 samples: too-short', () => {
    expect(judge(19, (i) => i * MiB).verdict).toBe('too-short');
    expect(judge(20, (i) => i * MiB).verdict).toBe('growing');
  });

  it('the buckets stay bounded over a long watch, and keep each slice\'s minimum', () => {
    const buckets = new MinimaBuckets(1000);
    for (let ms = 0; ms < 10_000_000; ms += 1000) buckets.add(ms, 5 * MiB + (ms === 4_000_000 ? -MiB : 0));
    expect(buckets.minima().length).toBeLessThan(64);
    expect(buckets.samples).toBe(10_000);
    expect(Math.min(...buckets.minima().map((point) => point.value))).toBe(4 * MiB);
  });

  it('Theil-Sen and r² on small hand-checked series', () => {
    const line = [0, 1, 2, 3].map((ms) => ({ ms, value: 10 + 2 * ms }));
    expect(theilSenSlope(line)).toBe(2);
    expect(rSquared(line)).toBeCloseTo(1, 10);
    // One wild point does not move the median slope: pairwise slopes 2, 2, 2, 2, 2 and the four through the outlier.
    const outlier = [...line, { ms: 4, value: 1000 }];
    expect(theilSenSlope(outlier)).toBe(2);
    expect(rSquared([{ ms: 0, value: 5 }, { ms: 1, value: 5 }])).toBe(0);
  });
});
