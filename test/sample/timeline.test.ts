import { describe, expect, it } from '@jest/globals';
import { Timeline, type TimelineSample } from '../../src/sample/timeline.js';

const sample = (ms: number, writable: number): TimelineSample => ({
  ms, writable, private: writable, shared: 0, ram: writable, swap: 0, rss: writable, processes: 1,
});

describe('Timeline', () => {
  it('keeps every sample until full', () => {
    const timeline = new Timeline(4);
    expect([1, 2, 3].map((ms) => timeline.add(sample(ms, ms)))).toEqual([false, false, false]);
    expect(timeline.samples().map((s) => s.ms)).toEqual([1, 2, 3]);
    expect(timeline.coarsened).toBe(0);
  });

  it('halves when full, keeping the larger of each pair, so a one-sample spike survives', () => {
    const timeline = new Timeline(8);
    const writable = [5, 5, 5, 90, 5, 5, 6, 7];
    const thinned = writable.map((w, ms) => timeline.add(sample(ms, w)));
    expect(thinned).toEqual([false, false, false, false, false, false, false, true]);
    expect(timeline.samples().map((s) => [s.ms, s.writable])).toEqual([[0, 5], [3, 90], [4, 5], [7, 7]]);
    expect(timeline.coarsened).toBe(1);
  });

  it('stays within its capacity over a long run and keeps the peak of all samples apart', () => {
    const timeline = new Timeline(16);
    for (let ms = 0; ms < 10_000; ms++) timeline.add(sample(ms, ms === 4321 ? 1e9 : ms % 100));
    expect(timeline.samples().length).toBeLessThan(16);
    expect(timeline.peak()).toEqual(sample(4321, 1e9));
    expect(timeline.samples()).toContainEqual(sample(4321, 1e9));
    expect(timeline.latest()).toEqual(sample(9999, 99));
    // Samples at a steady rate (no sampler slowing down): full at 16, then every 8 more.
    expect(timeline.coarsened).toBe(Math.floor((10_000 - 16) / 8) + 1);
  });

  it('the first of equal peaks is the peak', () => {
    const timeline = new Timeline();
    for (const [ms, w] of [[0, 1], [1, 7], [2, 7], [3, 2]]) timeline.add(sample(ms, w));
    expect(timeline.peak()?.ms).toBe(1);
  });
});
