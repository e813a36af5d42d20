/** Whether a series of memory samples grows, judged as a leak hunter would. */
export type Verdict = 'growing' | 'steady' | 'shrinking' | 'too-short';

export interface Trend {
  verdict: Verdict;
  /** The robust (Theil-Sen) slope of the bucket minima, in bytes per hour. */
  bytesPerHour: number;
  /** How well a straight line fits the bucket minima (least squares), 0-1. */
  r2: number;
}

/** Fewer samples than this say nothing. */
export const MIN_SAMPLES = 20;
/** How many buckets the minima are kept in: enough for a slope, few enough to stay small for months. */
const BUCKETS = 32;

interface Bucket {
  startMs: number;
  endMs: number;
  min: number;
  minMs: number;
}

/**
 * Samples reduced to the minimum of each slice of time, in bounded memory: a
 * garbage collector's sawtooth rises and falls between collections, but what
 * is left after each collection (the minima) only grows when memory leaks.
 * When all BUCKETS*2 are used, neighbours merge pairwise (the smaller minimum
 * stays), so a watch of months keeps 64 numbers.
 */
export class MinimaBuckets {
  private buckets: Bucket[] = [];
  private widthMs: number;
  samples = 0;

  constructor(firstWidthMs: number) {
    this.widthMs = Math.max(1, firstWidthMs);
  }

  add(ms: number, value: number): void {
    this.samples++;
    const last = this.buckets[this.buckets.length - 1];
    if (last !== undefined && ms < last.startMs + this.widthMs) {
      last.endMs = ms;
      if (value < last.min) {
        last.min = value;
        last.minMs = ms;
      }
      return;
    }
    this.buckets.push({ startMs: ms, endMs: ms, min: value, minMs: ms });
    if (this.buckets.length < BUCKETS * 2) return;
    const merged: Bucket[] = [];
    for (let index = 0; index < this.buckets.length; index += 2) {
      const a = this.buckets[index];
      const b = this.buckets[index + 1];
      merged.push(b === undefined ? a : {
        startMs: a.startMs, endMs: b.endMs, min: Math.min(a.min, b.min), minMs: b.min < a.min ? b.minMs : a.minMs,
      });
    }
    this.buckets = merged;
    this.widthMs *= 2;
  }

  minima(): { ms: number; value: number }[] {
    return this.buckets.map((bucket) => ({ ms: bucket.minMs, value: bucket.min }));
  }
}

/** The median of the pairwise slopes: one outlier, or a step, cannot tilt it far. */
export function theilSenSlope(points: readonly { ms: number; value: number }[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (points[j].ms !== points[i].ms) slopes.push((points[j].value - points[i].value) / (points[j].ms - points[i].ms));
    }
  }
  if (slopes.length === 0) return 0;
  slopes.sort((a, b) => a - b);
  const middle = Math.floor(slopes.length / 2);
  return slopes.length % 2 === 1 ? slopes[middle] : (slopes[middle - 1] + slopes[middle]) / 2;
}

/** r² of the least-squares line through the points: 1 when they lie on a line, 0 when a line explains nothing. */
export function rSquared(points: readonly { ms: number; value: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, p) => sum + p.ms, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.value, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const p of points) {
    sxy += (p.ms - meanX) * (p.value - meanY);
    sxx += (p.ms - meanX) ** 2;
    syy += (p.value - meanY) ** 2;
  }
  if (sxx === 0 || syy === 0) return 0;
  return (sxy * sxy) / (sxx * syy);
}

/**
 * The verdict on bucket minima. Growing (or shrinking) needs all three of:
 * - the Theil-Sen slope moves the level by more than 2% of its median, and by
 *   at least 256 KiB, over the time watched (noise and rounding do not);
 * - a straight line fits (r² ≥ 0.5): growth, not a jump here and there;
 * - each third of the time moves the same way on its own: a one-off step
 *   falls in one third and leaves the others flat, a leak shows in all three.
 */
export function judgeTrend(minima: readonly { ms: number; value: number }[], samples: number): Trend {
  const slope = theilSenSlope(minima);
  const r2 = rSquared(minima);
  const bytesPerHour = Math.round(slope * 3_600_000);
  if (samples < MIN_SAMPLES || minima.length < 6) return { verdict: 'too-short', bytesPerHour, r2 };
  const spanMs = minima[minima.length - 1].ms - minima[0].ms;
  const levels = minima.map((point) => point.value).sort((a, b) => a - b);
  const median = levels[Math.floor(levels.length / 2)];
  const moved = Math.abs(slope * spanMs);
  const third = Math.floor(minima.length / 3);
  const thirds = [minima.slice(0, third), minima.slice(third, 2 * third), minima.slice(2 * third)].map(theilSenSlope);
  const significant = moved > Math.max(0.02 * median, 256 * 1024) && r2 >= 0.5;
  if (significant && slope > 0 && thirds.every((part) => part > 0)) return { verdict: 'growing', bytesPerHour, r2 };
  if (significant && slope < 0 && thirds.every((part) => part < 0)) return { verdict: 'shrinking', bytesPerHour, r2 };
  return { verdict: 'steady', bytesPerHour, r2 };
}
