import type { WatchSample } from '../model/watch.js';
import { judgeTrend, MinimaBuckets, type Trend } from './trend.js';

import { WATCH_SCHEMA } from '../model/schemas.js';

export { WATCH_SCHEMA };

export type WatchEnd = 'duration' | 'count' | 'interrupted' | 'exited';

/** What a line of the watch shows beside the sample. */
export interface WatchStep {
  /** Since the line before (0 for the first). */
  change: number;
  /** Since the watch began. */
  sinceStart: number;
  /** Its processes are all new: the program restarted (its trend starts again). */
  restart: boolean;
  /** Since the first sample, for the rate (0 for the first: no rate yet). */
  elapsedMs: number;
}

/**
 * Everything a watch keeps, in bounded memory whatever its length: the first
 * and last sample, the extremes, and the trend's minima per slice of time.
 */
export class WatchSeries {
  first: WatchSample | undefined;
  last: WatchSample | undefined;
  lowest = Infinity;
  highest = 0;
  samples = 0;
  restarts = 0;
  private buckets: MinimaBuckets;

  constructor(private readonly intervalMs: number) {
    this.buckets = new MinimaBuckets(intervalMs);
  }

  add(sample: WatchSample): WatchStep {
    const previous = this.last;
    this.first ??= sample;
    this.last = sample;
    this.samples++;
    const restart = previous !== undefined && previous.identities.length > 0 && sample.identities.length > 0
      && !sample.identities.some((identity) => previous.identities.includes(identity));
    if (restart) {
      this.restarts++;
      this.buckets = new MinimaBuckets(this.intervalMs);
    }
    // A program that is not running has no level to judge: gaps stay out of the trend.
    if (sample.processes > 0) {
      this.buckets.add(sample.ms, sample.writable);
      this.lowest = Math.min(this.lowest, sample.writable);
      this.highest = Math.max(this.highest, sample.writable);
    }
    return {
      change: previous === undefined ? 0 : sample.writable - previous.writable,
      sinceStart: sample.writable - this.first.writable,
      restart,
      elapsedMs: sample.ms - this.first.ms,
    };
  }

  trend(): Trend {
    return judgeTrend(this.buckets.minima(), this.buckets.samples);
  }
}

/** The last line of `watch --json`: the watch as a whole. */
export function watchSummary(
  series: WatchSeries, info: { target: { pid: number } | { program: string }; endedBy: WatchEnd; durationMs: number; memAvailable?: number },
) {
  const trend = series.trend();
  const lastsHours = trend.verdict === 'growing' && info.memAvailable !== undefined && trend.bytesPerHour > 0
    ? info.memAvailable / trend.bytesPerHour : undefined;
  return {
    schema: WATCH_SCHEMA,
    type: 'summary' as const,
    target: info.target,
    endedBy: info.endedBy,
    durationMs: Math.round(info.durationMs),
    samples: series.samples,
    first: { writable: series.first?.writable ?? 0 },
    last: { writable: series.last?.writable ?? 0 },
    lowest: Number.isFinite(series.lowest) ? series.lowest : 0,
    highest: series.highest,
    restarts: series.restarts,
    trend: { verdict: trend.verdict, bytesPerHour: trend.bytesPerHour, r2: Math.round(trend.r2 * 1000) / 1000 },
    ...(lastsHours === undefined ? {} : { memAvailable: info.memAvailable, memAvailableLastsHours: Math.round(lastsHours * 10) / 10 }),
  };
}

export type WatchSummary = ReturnType<typeof watchSummary>;
