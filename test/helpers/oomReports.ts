import { existsSync, readdirSync } from 'node:fs';
import { compareReportNames, parseReportName, type ReportName } from '../../src/store/reportName.js';

/**
 * The OOM reports in `dir`, oldest first, as the store names them: two kills in
 * one second give `…Z-oom.json.gz` and `…Z-oom_2.json.gz`, so a test that looks
 * for names ending in `-oom.json.gz` misses the second.
 */
export function oomReportNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map(parseReportName)
    .filter((name): name is ReportName => name !== undefined && name.oom)
    .sort(compareReportNames)
    .map((name) => name.name);
}
