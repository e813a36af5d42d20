import { hasLiveSmaps } from '../kernel/livePaths.js';
import type { ReportArgs } from './options/report.js';
import { EXIT_OK } from '../errors.js';
import { writeStdout } from './output.js';
import { toSafeJson } from '../render/escapeText.js';

/**
 * smaps exists on Linux only. FOOTPRINT_RSS_ONLY=1 forces the fallback on Linux,
 * which is how its tests reach it.
 */
export function isSmapsAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FOOTPRINT_RSS_ONLY === '1') return false;
  return hasLiveSmaps();
}

export async function runRssOnlyReport(args: ReportArgs): Promise<number> {
  const { collectRssOnlyReport } = await import('../collect/collectRssOnlyReport.js');
  const { renderRssOnlyTable } = await import('../render/rssOnlyTable.js');
  const report = await collectRssOnlyReport();
  const groups = args.top === undefined ? report.groups : report.groups.slice(0, args.top);
  if (args.json) writeStdout(`${toSafeJson({ ...report, groups }, 2)}\n`);
  else writeStdout(renderRssOnlyTable(groups, args.units));
  return EXIT_OK;
}
