import type { HistoryMetric } from './historyMetrics.js';
import { keysNamed } from './matchGroups.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Bucket widths tried in order: the first that fits the range into maxPoints wins. */
const STEPS = [5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];

/**
 * How reports map to points: one point per report while they fit, else
 * UTC-aligned buckets of a fixed width, each showing the peak of its reports.
 */
export interface BucketPlan {
  /** null: one bucket per report. */
  stepMs: number | null;
  originMs: number;
  /** Start time of each bucket (the report's time when one per report). */
  starts: number[];
}

export function planBuckets(sortedTimes: readonly number[], maxPoints: number): BucketPlan {
  if (sortedTimes.length <= maxPoints) return { stepMs: null, originMs: 0, starts: [...sortedTimes] };
  const first = sortedTimes[0];
  const last = sortedTimes[sortedTimes.length - 1];
  let stepMs = STEPS.find((step) => Math.floor(last / step) - Math.floor(first / step) + 1 <= maxPoints);
  if (stepMs === undefined) {
    // Whole days; aligned to UTC, the range can straddle one more bucket than its length suggests.
    stepMs = Math.ceil((last - first + 1) / maxPoints / DAY) * DAY;
    while (Math.floor(last / stepMs) - Math.floor(first / stepMs) + 1 > maxPoints) stepMs += DAY;
  }
  const originMs = Math.floor(first / stepMs) * stepMs;
  const count = Math.floor((last - originMs) / stepMs) + 1;
  return { stepMs, originMs, starts: Array.from({ length: count }, (_, index) => originMs + index * stepMs) };
}

/** Bucket of the `index`th report (time order) taken at `timeMs`. */
export function bucketOf(plan: BucketPlan, timeMs: number, index: number): number {
  return plan.stepMs === null ? index : Math.floor((timeMs - plan.originMs) / plan.stepMs);
}

/** Collects, per group and bucket, the peak of one metric. Pure: callers feed it what they read. */
export class HistoryAccumulator {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Per name id: the peak per bucket, NaN where the group was in none of the bucket's reports. */
  private readonly peaks: Float64Array[] = [];
  readonly reportsPerBucket: Uint32Array;

  constructor(readonly bucketCount: number) {
    this.reportsPerBucket = new Uint32Array(bucketCount);
  }

  nameId(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
      this.peaks.push(new Float64Array(this.bucketCount).fill(Number.NaN));
    }
    return id;
  }

  addReport(bucket: number): void {
    this.reportsPerBucket[bucket]++;
  }

  addValue(bucket: number, nameId: number, value: number): void {
    const peaks = this.peaks[nameId];
    // `!(a >= b)` is also true for NaN, the empty mark.
    if (!(peaks[bucket] >= value)) peaks[bucket] = value;
  }

  /**
   * addValue for rows [from, to) of a day's columns, in one loop: row r is
   * group ids[nameIds[r]] with figure values[r] x scale.
   */
  addRows(
    bucket: number, ids: readonly number[], nameIds: ArrayLike<number>, values: ArrayLike<number>, scale: number, from: number, to: number,
  ): void {
    for (let row = from; row < to; row++) {
      const peaks = this.peaks[ids[nameIds[row]]];
      const value = values[row] * scale;
      if (!(peaks[bucket] >= value)) peaks[bucket] = value;
    }
  }

  peaksOf(nameId: number): Float64Array {
    return this.peaks[nameId];
  }
}

export interface HistoryPoint {
  startMs: number;
  /** Reports that fell into this bucket (0: a gap). */
  reports: number;
}

export interface ProgramSeries {
  name: string;
  /** One per point; null where the group was in none of the point's reports. */
  values: (number | null)[];
  peak: number;
  /** The last known figure. */
  last: number;
}

export interface HistorySeries {
  metric: HistoryMetric;
  groupBy: string;
  /** Bucket width in ms; null when every point is one report. */
  stepMs: number | null;
  points: HistoryPoint[];
  series: ProgramSeries[];
  /** --program names found in no report of the range. */
  missing: string[];
}

export interface SeriesChoice {
  metric: HistoryMetric;
  groupBy: string;
  top: number;
  /** Only these programs, in this order: each a group's name, or a name namesProgram finds it by (python3, app.py). */
  programs?: readonly string[];
  /** --match: only the groups whose name this accepts. */
  only?: (name: string) => boolean;
}

/** The top groups by peak (or the chosen ones), with their points. */
export function finishSeries(accumulator: HistoryAccumulator, plan: BucketPlan, choice: SeriesChoice): HistorySeries {
  const all: ProgramSeries[] = accumulator.names.flatMap((name, id) => {
    if (choice.only !== undefined && !choice.only(name)) return [];
    const peaks = accumulator.peaksOf(id);
    let peak = 0;
    let last = 0;
    const values: (number | null)[] = [];
    for (const value of peaks) {
      if (Number.isNaN(value)) {
        values.push(null);
        continue;
      }
      values.push(value);
      if (value > peak) peak = value;
      last = value;
    }
    // A name seen only in reports outside the range has no points.
    return values.some((value) => value !== null) ? [{ name, values, peak, last }] : [];
  });
  let chosen: ProgramSeries[];
  let missing: string[] = [];
  if (choice.programs && choice.programs.length > 0) {
    const byName = new Map(all.map((series) => [series.name, series]));
    // Every group the name finds (`python3`: each of its scripts; a whole group name: that group), largest first.
    const named = choice.programs.map((name) => keysNamed(name, byName.keys())
      .map((key) => byName.get(key)!).sort((a, b) => b.peak - a.peak || (a.name < b.name ? -1 : 1)));
    chosen = [...new Set(named.flat())];
    missing = choice.programs.filter((_, index) => named[index].length === 0);
  } else {
    chosen = all.sort((a, b) => b.peak - a.peak || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return {
    metric: choice.metric,
    groupBy: choice.groupBy,
    stepMs: plan.stepMs,
    points: plan.starts.map((startMs, index) => ({ startMs, reports: accumulator.reportsPerBucket[index] })),
    series: chosen.slice(0, choice.top),
    missing,
  };
}
