import { unlinkSync } from 'node:fs';
import { listReports, type StoredReport } from './listReports.js';

/**
 * Deletes saved reports whose name time is more than `keepMs` before `nowMs`,
 * never `justWritten`. Only files listReports recognises as footprint reports
 * are candidates (`reports`, when the caller has listed them already). Returns the paths removed.
 */
export function pruneReports(
  dir: string, keepMs: number, nowMs: number, justWritten: string, reports: readonly StoredReport[] = listReports(dir),
): string[] {
  const removed: string[] = [];
  for (const report of reports) {
    if (report.path === justWritten || report.timeMs >= nowMs - keepMs) continue;
    try {
      unlinkSync(report.path);
      removed.push(report.path);
    } catch {
      // Another run pruned it first.
    }
  }
  return removed;
}
