import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { listReports, type StoredReport } from './listReports.js';
import { tryReadReport } from './readReport.js';
import { nameTimeProblem, reportTimeProblem } from './reportTimes.js';

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export interface ResolveOptions {
  nowMs?: number;
  /** Each report left out for its time, as one line (without `footprint: warning: `). */
  onSkipped?: (message: string) => void;
}

/**
 * What `diff` accepts for OLD and NEW: a report file, `latest`, `previous`
 * (the one before latest), or a UTC day `2026-11-24` (that day's last report)
 * looked up in the report directory. A report of the directory whose name and
 * own time disagree by more than a day, or that lies in the future
 * (reportTimes.ts), or that cannot be used, is passed over with a warning; a
 * file named on the command line is taken as it is.
 */
export function resolveReportRef(ref: string, dir: string, options: ResolveOptions = {}): string {
  const nowMs = options.nowMs ?? Date.now();
  const inTime = (reports: StoredReport[], wanted: number) => newestInTime(reports, wanted, nowMs, options.onSkipped);
  if (ref === 'latest' || ref === 'previous') {
    const wanted = ref === 'latest' ? 1 : 2;
    const reports = inTime(listReports(dir), wanted);
    if (reports.length < wanted) {
      throw new UsageError(`"${ref}": ${reports.length === 0 ? 'no saved reports' : 'only one saved report'} in ${dir}`);
    }
    return reports[wanted - 1].path;
  }
  if (DAY_PATTERN.test(ref) && !existsSync(ref)) {
    const ofDay = inTime(listReports(dir).filter((report) => report.day === ref), 1);
    if (ofDay.length === 0) throw new UsageError(`"${ref}": no report saved on that day (UTC) in ${dir}`);
    return ofDay[0].path;
  }
  if (!existsSync(ref)) {
    throw new UsageError(`${ref}: no such report file (nor latest, previous or a YYYY-MM-DD day)`);
  }
  return ref;
}

/**
 * Up to `wanted` reports, newest first, leaving out those whose time is not to
 * be trusted and those that are no usable report (as `history` does: a broken
 * file must not stop a daily `diff previous latest` for good). Only as many
 * files are read as it takes.
 */
function newestInTime(
  reports: readonly StoredReport[], wanted: number, nowMs: number, onSkipped?: (message: string) => void,
): StoredReport[] {
  const chosen: StoredReport[] = [];
  for (let index = reports.length - 1; index >= 0 && chosen.length < wanted; index--) {
    const report = reports[index];
    let problem = nameTimeProblem(report.timeMs, nowMs);
    if (problem === undefined) {
      const read = tryReadReport(report.path);
      problem = read.ok ? reportTimeProblem(report.timeMs, Date.parse(read.report.time), nowMs) : read.reason;
    }
    if (problem === undefined) chosen.push(report);
    else onSkipped?.(`skipping ${report.path}: ${problem}`);
  }
  return chosen;
}
