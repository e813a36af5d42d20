import { fs, requireBuiltin } from '../startup/requireBuiltin.js';
import type { ReportArgs } from './reportArgs.js';
import { EXIT_OK } from '../errors.js';
import { writeStdout } from './output.js';
import { toSafeJson } from '../render/escapeText.js';

/**
 * smaps exists on Linux only. FOOTPRINT_RSS_ONLY=1 forces the fallback on Linux,
 * which is how its tests reach it.
 */
export function isSmapsAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FOOTPRINT_RSS_ONLY === '1') return false;
  return process.platform === 'linux' && fs.existsSync('/proc/self/smaps');
}

export async function runRssOnlyReport(args: ReportArgs): Promise<number> {
  const { scanRssOnly } = await import('../scan/rssOnlyScan.js');
  const { buildRssOnlyReport } = await import('../reduce/buildRssOnlyReport.js');
  const { renderRssOnlyTable } = await import('../render/rssOnlyTable.js');
  const started = performance.now();
  const scan = await scanRssOnly(process.pid);
  const { hostname, release } = requireBuiltin('node:os') as typeof import('node:os');
  const report = buildRssOnlyReport(
    scan.samples,
    { gone: scan.gone, ms: Math.round(performance.now() - started) },
    { host: hostname(), kernel: release(), time: new Date() },
  );
  const groups = args.top === undefined ? report.groups : report.groups.slice(0, args.top);
  if (args.json) writeStdout(`${toSafeJson({ ...report, groups }, 2)}\n`);
  else writeStdout(renderRssOnlyTable(groups, args.units));
  return EXIT_OK;
}
