import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareReportNames, parseReportName, type ReportName } from './reportName.js';
import { isMissing } from '../kernel/files/fileErrors.js';

export interface StoredReport extends ReportName {
  path: string;
}

/**
 * The footprint reports in `dir`, oldest first. Only regular files named like
 * saved reports count; temporary files, the index and anything else are not
 * reports. A missing directory holds no reports.
 */
export function listReports(dir: string): StoredReport[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const reports: StoredReport[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const parsed = parseReportName(entry.name);
    if (parsed) reports.push({ ...parsed, path: join(dir, entry.name) });
  }
  return reports.sort(compareReportNames);
}
