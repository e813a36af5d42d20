import { opendirSync } from 'node:fs';
import { isMissing } from '../kernel/files/fileErrors.js';
import { compareReportNames, parseReportName } from './reportName.js';

/**
 * The footprint reports in `dir` as file names by UTC day: the same files as
 * listReports, in a form small enough for a year of 5-minute reports (105,000
 * names). The directory is read one entry at a time rather than as one array
 * of entries, and nothing is kept per file but its name. Days come oldest
 * first, and the names of each day in time order. With `onlyDays`, other days'
 * names are skipped unparsed. `onOther` sees every other name of a day wanted
 * (save looks among them for its own stale temporary files). A missing
 * directory holds no reports.
 */
export function listReportDays(
  dir: string, onlyDays?: ReadonlySet<string>, onOther?: (name: string) => void,
): Map<string, string[]> {
  let handle;
  try {
    handle = opendirSync(dir, { bufferSize: 1024 });
  } catch (error) {
    if (isMissing(error)) return new Map();
    throw error;
  }
  const byDay = new Map<string, string[]>();
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
      if (onlyDays && !onlyDays.has(entry.name.slice(0, 10))) continue;
      const parsed = entry.isFile() ? parseReportName(entry.name) : undefined;
      if (!parsed) {
        onOther?.(entry.name);
        continue;
      }
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
  // Without a sequence number, the names' own order is time order (`Z-oom.json.gz` < `Z.json` < `Z.json.gz` < `Z_2…`).
  if (!names.some((name) => name.includes('_'))) return names.sort();
  const parsed = names.map((name) => parseReportName(name)!);
  parsed.sort(compareReportNames);
  return parsed.map((each) => each.name);
}
