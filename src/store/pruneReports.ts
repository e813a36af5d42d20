import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseReportName } from './reportName.js';

/**
 * Deletes saved reports whose name time is more than `keepMs` before `nowMs`,
 * never `justWritten`. The candidates are the report names of `listing`
 * (listReportDays: names by UTC day), so only footprint's own files; the names
 * removed are taken out of it too, leaving it a listing of what is left. Only
 * days that can hold an old report are looked at. Returns the paths removed.
 */
export function pruneReports(
  dir: string, listing: Map<string, string[]>, keepMs: number, nowMs: number, justWritten: string,
): string[] {
  const cutoff = new Date(nowMs - keepMs);
  const removed: string[] = [];
  // Before the earliest time a Date holds (--keep 999999999d): nothing is that old.
  if (Number.isNaN(cutoff.getTime())) return removed;
  const cutoffMs = cutoff.getTime();
  // A day starting after the cutoff's day holds nothing older than it.
  const lastDay = cutoff.toISOString().slice(0, 10);
  for (const [day, names] of listing) {
    if (day > lastDay) continue;
    const left = names.filter((name) => {
      const path = join(dir, name);
      if (path === justWritten || parseReportName(name)!.timeMs >= cutoffMs) return true;
      try {
        unlinkSync(path);
        removed.push(path);
      } catch {
        // Another run pruned it first.
      }
      return false;
    });
    if (left.length === 0) listing.delete(day);
    else listing.set(day, left);
  }
  return removed;
}
