/**
 * A saved report's time is in its name (what `latest`, `previous` and
 * `history` sort by) and in its `time` field (when the scan ran). A copied,
 * renamed or forged file can make them disagree, or lie in the future, where
 * it would win `latest` for good and stretch `history` to its date. Such a
 * report is left out, with a warning naming it. Pure.
 */
const DAY_MS = 86_400_000;
/** A clock stepped back by NTP, or a report from a host whose clock runs a little ahead, is not "the future". */
export const FUTURE_SLACK_MS = 5 * 60_000;
/** The name is the scan's time to the second; a day apart is no rounding, it is another report. */
export const NAME_TIME_SLACK_MS = DAY_MS;

/** Why a report named for `nameTimeMs` is not in time, or undefined when it is. */
export function nameTimeProblem(nameTimeMs: number, nowMs: number): string | undefined {
  return nameTimeMs > nowMs + FUTURE_SLACK_MS ? `its name is a time in the future (${formatUtc(nameTimeMs)})` : undefined;
}

/** Why a report named for `nameTimeMs` whose own `time` is `reportTimeMs` is not to be trusted, or undefined. */
export function reportTimeProblem(nameTimeMs: number, reportTimeMs: number, nowMs: number): string | undefined {
  const byName = nameTimeProblem(nameTimeMs, nowMs);
  if (byName !== undefined) return byName;
  if (reportTimeMs > nowMs + FUTURE_SLACK_MS) return `its time is in the future (${formatUtc(reportTimeMs)})`;
  if (Math.abs(reportTimeMs - nameTimeMs) > NAME_TIME_SLACK_MS) {
    return `its name says ${formatUtc(nameTimeMs)} but its time is ${formatUtc(reportTimeMs)}, more than a day apart`;
  }
  return undefined;
}

function formatUtc(timeMs: number): string {
  const date = new Date(timeMs);
  return Number.isNaN(date.getTime()) ? String(timeMs) : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
