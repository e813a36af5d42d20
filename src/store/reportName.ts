/**
 * Saved reports are named by UTC time, e.g. `2026-11-25T174512Z.json.gz`; a
 * second report in the same second gets `_2`, `_3` … (which sort after the
 * first). An OOM report (the scan `watch` or `serve` took before an OOM kill)
 * is named `2026-11-25T174512Z-oom.json.gz`: its own name, so it never takes
 * the name a `save` of the same second would, and `ls` tells it apart. Only
 * names of these shapes are treated as footprint's own files, so pruning
 * never touches anything else in the directory.
 */
export interface ReportName {
  name: string;
  /** UTC time from the name, milliseconds since the epoch. */
  timeMs: number;
  /** 1 for the first report of its second. */
  sequence: number;
  /** `2026-11-25`: the UTC day. */
  day: string;
  gzip: boolean;
  /** Named as an OOM report (`-oom`). */
  oom: boolean;
}

const NAME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})Z(-oom)?(?:_(\d{1,6}))?\.json(\.gz)?$/;

export function parseReportName(name: string): ReportName | undefined {
  const match = NAME_PATTERN.exec(name);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, oom, sequence, gzip] = match;
  const timeMs = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second);
  const check = new Date(timeMs);
  // Reject impossible dates such as 2026-02-31 rather than rolling them over.
  if (check.getUTCDate() !== +day || check.getUTCHours() !== +hour || check.getUTCMinutes() !== +minute) return undefined;
  const seq = sequence === undefined ? 1 : Number(sequence);
  if (seq < 2 && sequence !== undefined) return undefined;
  return { name, timeMs, sequence: seq, day: `${year}-${month}-${day}`, gzip: gzip !== undefined, oom: oom !== undefined };
}

/** The name of the `sequence`th gzip report (or OOM report) saved in the second of `timeMs`. */
export function formatReportName(timeMs: number, sequence = 1, oom = false): string {
  const stamp = new Date(Math.floor(timeMs / 1000) * 1000).toISOString(); // 2026-11-25T17:45:12.000Z
  const compact = `${stamp.slice(0, 10)}T${stamp.slice(11, 13)}${stamp.slice(14, 16)}${stamp.slice(17, 19)}Z`;
  const stem = oom ? `${compact}-oom` : compact;
  return sequence === 1 ? `${stem}.json.gz` : `${stem}_${sequence}.json.gz`;
}

/** Time order; within one second, an OOM report (of the scan before a kill) first, then save order. */
export function compareReportNames(a: ReportName, b: ReportName): number {
  return a.timeMs - b.timeMs || Number(b.oom) - Number(a.oom) || a.sequence - b.sequence || Number(a.gzip) - Number(b.gzip);
}
