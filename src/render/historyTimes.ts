const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2026-11-25" for buckets of a day or more, "2026-11-25 17:45" for shorter ones, with seconds for single reports (UTC). */
export function formatPointTime(timeMs: number, stepMs: number | null): string {
  const iso = new Date(timeMs).toISOString();
  if (stepMs === null) return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return stepMs >= DAY ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** "peak per 3 hours": a history's bucket, in words. */
export function describeStep(stepMs: number | null): string {
  if (stepMs === null) return 'one point per report';
  const units: [number, string][] = [[7 * DAY, 'week'], [DAY, 'day'], [HOUR, 'hour'], [MINUTE, 'minute']];
  for (const [size, unit] of units) {
    if (stepMs % size === 0) {
      const count = stepMs / size;
      return `peak per ${count === 1 ? unit : `${count} ${unit}s`}`;
    }
  }
  return `peak per ${stepMs / MINUTE} minutes`;
}
