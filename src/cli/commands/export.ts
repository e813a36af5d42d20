import type { ExportArgs } from '../options/fleet.js';
import { EXIT_FAILURE, EXIT_OK, RuntimeFailure } from '../../errors.js';
import { compileMatch, describeFilters, matchedView, noMatchLine } from '../values/match.js';
import { noteWritten, writeStderr, writeStdout } from '../output.js';
import { collectReportView } from '../../collect/collectReport.js';
import { openProcRoot, rollupCeilingPages } from '../../collect/machineContext.js';
import { parsePositiveInteger } from '../values/report.js';
import { reportMetrics } from '../../reduce/reportMetrics.js';
import { renderPrometheusText } from '../../render/prometheusText.js';
import { checkOutputPath, writeFileAtomically } from '../../store/writeFileAtomically.js';
import { describeFileError } from '../../kernel/files/fileErrors.js';
import { VERSION } from '../../version.js';
import { parseCgroupDepth, parseRollupMaxRss } from '../values/fleet.js';
import { exportCgroupFamilies } from '../../cgroups/cgroupFamilies.js';
import { ShmemScrape } from '../../collect/shmemScrape.js';

export type { ExportArgs };

export const DEFAULT_TOP = 50;

/**
 * `footprint export [--textfile FILE]`: one scan as Prometheus metrics, on
 * stdout or into FILE for node_exporter's textfile collector, atomically (a
 * temporary file in the same directory, renamed over it), without timestamps.
 */
export async function runExport(args: ExportArgs): Promise<number> {
  const top = parsePositiveInteger('--top', args.top) ?? DEFAULT_TOP;
  const cgroupDepth = parseCgroupDepth(args.cgroupDepth);
  // Before the scan: a FIFO, device or socket at the name (or a kernel file system) is refused at once.
  if (args.textfile !== undefined) {
    try {
      checkOutputPath(args.textfile);
    } catch (error) {
      throw new RuntimeFailure(`cannot write ${args.textfile}: ${describeFileError(error)}`);
    }
  }
  const reader = openProcRoot(args.procRoot);
  const rollupMaxRssPages = rollupCeilingPages(reader, parseRollupMaxRss(args.rollupMaxRss));
  const match = await compileMatch(args.match);
  const view = await collectReportView({ group: args.group, estimate: false, procRoot: args.procRoot, rollupMaxRssPages, match }, { reader, warn: writeStderr });
  // Nothing written, not even an empty file over the last good one: a textfile with no series would read as "gone".
  if (match !== undefined && view.matched!.length === 0) {
    writeStderr(noMatchLine(describeFilters({ match: match.source })));
    return EXIT_FAILURE;
  }
  const cgroupFamilies = exportCgroupFamilies(reader, { depth: cgroupDepth, cgroupRoot: args.cgroupRoot, live: args.procRoot === undefined });
  const shmemFamilies = new ShmemScrape(args.procRoot === undefined && args.shmem, 0).families(reader);
  const text = renderPrometheusText([...reportMetrics(matchedView(view), { top, version: VERSION }), ...cgroupFamilies, ...shmemFamilies]);
  if (args.textfile === undefined) {
    writeStdout(text);
    return EXIT_OK;
  }
  try {
    writeFileAtomically(args.textfile, text);
    if (!args.quiet) noteWritten(args.textfile);
  } catch (error) {
    throw new RuntimeFailure(`cannot write ${args.textfile}: ${describeFileError(error)}`);
  }
  return EXIT_OK;
}
