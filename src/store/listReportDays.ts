import { opendirSync } from 'node:fs';
import { fileErrorCode } from './fileErrors.js';
import { compareReportNames, parseReportName } from './reportName.js';
import type { StoredReport } from './listReports.js';

/**
 * The footprint reports in `dir` as file names by UTC day: the same files as
 * listReports, in a form small enough for a year of 5-minute reports (105,000
 * names). The directory is read one entry at a time rather than as one array
 * of entries, and nothing is kept per file but its name. Days come oldest
 * first, and the names of each day in time order. With `onlyDays`, other days'
 * names are skipped unparsed. A missing directory holds no reports.
 */
export function listReportDays(dir: string, onlyDays?: ReadonlySet<string>): Map<string, string[]> {
  let handle;
  try {
    handle = opendirSync(dir, { bufferSize: 1024 });
  } catch (error) {
    if (fileErrorCode(error) === 'ENOENT') return new Map();
    throw error;
  }
  const byDay = new Map<string, string[]>();
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
      if (onlyDays && !onlyDays.has(entry.name.slice(0, 10))) continue;
      if (!entry.isFile()) continue;
      const parsed = parseReportName(entry.name);
      if (!parsed) continue;
      const names = byDay.get(parsed.day);
      if (names) names.push(parsed.name);
      else byDay.set(parsed.day, [parsed.name]);
    }
  } finally {
    handle.closeSync();
  }
  const days = [...byDay.keys()].sort();
  return new Map(days.map((day) => [day, sortReportNames(byDay.get(day)!)]));
}

/** Time order, as compareReportNames (so `_10` after `_9`). */
export function sortReportNames(names: string[]): string[] {
  // Without a sequence number, the names' own order is time order (`Z.json` < `Z.json.gz` < `Z_2…`).
  if (!names.some((name) => name.includes('_'))) return names.sort();
  const parsed = names.map((name) => parseReportName(name)!);
  parsed.sort(compareReportNames);
  return parsed.map((each) => each.name);
}

/** listReportDays over reports already listed (oldest first, as listReports gives them), for `onlyDays`. */
export function reportNamesByDay(reports: readonly StoredReport[], onlyDays: ReadonlySet<string>): Map<string, string[]> {
  const byDay = new Map<string, string[]>();
  for (const report of reports) {
    if (!onlyDays.has(report.day)) continue;
    const names = byDay.get(report.day);
    if (names) names.push(report.name);
    else byDay.set(report.day, [report.name]);
  }
  return byDay;
}
