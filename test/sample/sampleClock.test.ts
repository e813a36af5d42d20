/** SampleClock (run's and watch's time) and IntervalClock (watch's pacing and its ends). */
import { describe, expect, test } from '@jest/globals';
import { IntervalClock, SampleClock } from '../../src/sample/sampleClock.js';

describe('SampleClock', () => {
  test('counts milliseconds from its start, again from a restart', async () => {
    const clock = new SampleClock();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(clock.ms).toBeGreaterThanOrEqual(29);
    clock.restart();
    expect(clock.ms).toBeGreaterThanOrEqual(0);
    expect(clock.ms).toBeLessThan(29);
  });
});

describe('IntervalClock', () => {
  test('--count: after that many samples, no wait, ended by count', async () => {
    const clock = new IntervalClock(60_000, undefined, 2);
    expect(await clock.next(2)).toBe(false);
    expect(clock.endedBy).toBe('count');
    clock.release();
  });

  test('--duration: one last sample past it, then ended by duration', async () => {
    const clock = new IntervalClock(10, 40);
    let taken = 1;
    while (await clock.next(taken)) taken++;
    expect(clock.endedBy).toBe('duration');
    expect(clock.ms).toBeGreaterThanOrEqual(40);
    expect(taken).toBeGreaterThanOrEqual(2);
    clock.release();
  });

  test('stop() wakes a wait at once and keeps the first reason', async () => {
    const clock = new IntervalClock(60_000);
    const waiting = clock.next(1);
    clock.stop('interrupted');
    clock.stop('exited');
    expect(await waiting).toBe(false);
    expect(clock.endedBy).toBe('interrupted');
    expect(clock.ms).toBeLessThan(30_000);
    clock.release();
  });
});
