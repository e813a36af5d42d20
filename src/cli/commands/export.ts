import type { ExportArgs } from '../options/fleet.js';
import { EXIT_FAILURE, EXIT_OK, RuntimeFailure } from '../../errors.js';
import { compileMatch, describeFilters, matchedView, noMatchLine } from '../values/match.js';
import { noteWritten, writeStderr, writeStdout } from '../output.js';
import { escapeText } from '../../render/escapeText.js';
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
import { parseBudgetKnobs } from '../values/budget.js';
import { ReadBudget } from '../../collect/readBudget.js';
import { parseBudgetState, type KeptBudget } from '../../budget/budgetStateText.js';
import { DOCUMENT_CAP_BYTES, readBoundedFile } from '../../store/readBoundedFile.js';
import { UsageError } from '../../errors.js';
import { NOT_FOUND_CODE } from '../../kernel/files/fileErrors.js';
import { ShmemScrape } from '../../collect/shmemScrape.js';

export type { ExportArgs };

export const DEFAULT_TOP = 50;

/**
 * The read budget's state an earlier run kept in FILE (docs/budget.md), with its
 * counters' totals: none yet, a fresh state (undefined); one that cannot be used
 * (not a regular file, another user's, broken), a fresh state and one line saying
 * why: a scan of status figures, never a wrong figure, and counters from 0 (a reset).
 */
function readBudgetState(path: string): KeptBudget | undefined {
  const read = readBoundedFile(path, DOCUMENT_CAP_BYTES);
  if (!read.ok && read.code === NOT_FOUND_CODE) return undefined;
  const uid = process.getuid?.();
  let reason: string;
  if (!read.ok) reason = read.reason;
  else if (uid !== undefined && read.stats.uid !== uid) reason = `owned by UID ${read.stats.uid}, not by this user`;
  else {
    const parsed = parseBudgetState(read.data.toString('utf8'));
    if (parsed.ok) return parsed;
    reason = parsed.reason;
  }
  writeStderr(`footprint: --budget-state ${escapeText(path)}: ${reason}; starting afresh (big processes from status until their first exact read)\n`);
  return undefined;
}

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
  if (args.budgetState === undefined && (args.maxReadMs !== undefined || args.refresh !== undefined)) {
    throw new UsageError(`export: --${args.maxReadMs !== undefined ? 'max-read-ms' : 'refresh'} is for --budget-state FILE (without one, export reads every process exactly)`);
  }
  if (args.budgetState === '') throw new UsageError('--budget-state: an empty file name');
  const budget = args.budgetState === undefined ? undefined : new ReadBudget(parseBudgetKnobs(args), readBudgetState(args.budgetState));
  const reader = openProcRoot(args.procRoot);
  const rollupMaxRssPages = rollupCeilingPages(reader, parseRollupMaxRss(args.rollupMaxRss));
  const match = await compileMatch(args.match);
  const view = await collectReportView({ group: args.group, estimate: false, procRoot: args.procRoot, rollupMaxRssPages, match }, { reader, warn: writeStderr, budget });
  if (budget !== undefined) {
    try {
      writeFileAtomically(args.budgetState!, budget.stateText(), { mode: 0o600 });
    } catch (error) {
      throw new RuntimeFailure(`cannot write ${args.budgetState}: ${describeFileError(error)}`);
    }
  }
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
