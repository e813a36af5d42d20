import { existsSync } from 'node:fs';
import { UsageError } from '../cli/errors.js';
import { listReports } from './listReports.js';

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What `diff` accepts for OLD and NEW: a report file, `latest`, `previous`
 * (the one before latest), or a UTC day `2026-11-24` (that day's last report)
 * looked up in the report directory.
 */
export function resolveReportRef(ref: string, dir: string): string {
  if (ref === 'latest' || ref === 'previous') {
    const reports = listReports(dir);
    const wanted = ref === 'latest' ? 1 : 2;
    if (reports.length < wanted) {
      throw new UsageError(`"${ref}": ${reports.length === 0 ? 'no saved reports' : 'only one saved report'} in ${dir}`);
    }
    return reports[reports.length - wanted].path;
  }
  if (DAY_PATTERN.test(ref) && !existsSync(ref)) {
    const ofDay = listReports(dir).filter((report) => report.day === ref);
    if (ofDay.length === 0) throw new UsageError(`"${ref}": no report saved on that day (UTC) in ${dir}`);
    return ofDay[ofDay.length - 1].path;
  }
  if (!existsSync(ref)) {
    throw new UsageError(`${ref}: no such report file (nor latest, previous or a YYYY-MM-DD day)`);
  }
  return ref;
}
