import { hostname, release } from 'node:os';
import { scanRssOnly } from '../scan/rssOnlyScan.js';
import { buildRssOnlyReport } from '../reduce/buildRssOnlyReport.js';
import type { Report } from '../model/report.js';

/**
 * Off Linux (no smaps): every process's RSS from ps-list and pidusage, ranked,
 * labelled as such. Imported only there (rssOnlyFallback.ts), so neither
 * package nor this module loads for a normal run.
 */
export async function collectRssOnlyReport(): Promise<Report> {
  const started = performance.now();
  const scan = await scanRssOnly(process.pid);
  return buildRssOnlyReport(
    scan.samples,
    { gone: scan.gone, ms: Math.round(performance.now() - started) },
    { host: hostname(), kernel: release(), time: new Date() },
  );
}
