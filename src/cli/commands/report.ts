import type { ReportArgs } from '../options/report.js';
import { collectReportView } from '../../collect/collectReport.js';
import { rankGroups } from '../../reduce/rankGroups.js';
import { isAskedFor, renderReportTable } from '../../render/reportTable.js';
import { figureSpec } from '../../model/figures.js';
import { renderCoverageLine, renderSystemLines, renderSystemSummary } from '../../render/reportFooter.js';
import { renderReportCsv } from '../../render/reportCsv.js';
import { escapeText, toSafeJson } from '../../render/escapeText.js';
import { isFancyOutput, terminalWidth, writeStderr, writeStdout } from '../output.js';
import { wrapLines } from '../../render/fitWidth.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../../errors.js';
import type { ReportView } from '../../reduce/buildReport.js';
import type { ProgramGroup } from '../../model/report.js';
import { shellQuote } from '../../reduce/shellQuote.js';
import { isSmapsAvailable, runRssOnlyReport } from '../rssOnlyFallback.js';
import { benchSwitches } from '../benchSwitches.js';
import { ProcReader } from '../../kernel/procReader.js';

/** The default command: scan, rank, print. */
export async function runReport(args: ReportArgs): Promise<number> {
  if (args.json && args.csv) throw new UsageError('--json and --csv cannot be used together');
  if (args.timing === true && !args.json) throw new UsageError('--timing: with --json (the times go in its "timing")');
  if (args.procRoot === undefined && !isSmapsAvailable()) return runRssOnlyReport(args);
  // oom_score, one read a process, only where it shows: JSON always, a table or CSV when ranked by it or by PID.
  const oomScores = args.json || isAskedFor(figureSpec('oomScore'), { sort: args.sort, groupBy: args.group });
  // --match is compiled (re2js loaded) only when given: a bare report loads nothing more.
  const match = args.match === undefined ? undefined : await (await import('../values/match.js')).compileMatch(args.match);
  const view = await collectReportView({ ...args, oomScores, match }, { warn: writeStderr });
  // Hidden, for bench/run.mjs: footprint's own memory at the end of the scan, on stderr.
  if (benchSwitches().selfReport) (await import('../selfReport.js')).writeSelfReport('after-scan');
  // -p, -u: only those processes are scanned. --match: the whole machine is, and the rows are the groups that match.
  const candidates = view.matched ?? view.report.groups;
  if (candidates.length === 0 && (args.pid !== undefined || args.user !== undefined || match !== undefined)) {
    const { describeFilters, noMatchLine } = await import('../values/match.js');
    writeStderr(noMatchLine(describeFilters({ pid: args.pid, user: args.user, match: args.match }), match === undefined ? leftOutNote(view) : ''));
    return EXIT_FAILURE;
  }
  const ranked = rankGroups(candidates, args.sort, args.reverse);
  const shown = args.top === undefined ? ranked : ranked.slice(0, args.top);
  if (args.json) {
    // With --match, "match" says so: the groups are those that match, the totals and the system still the machine's.
    // --timing: each exact read's ms, slowest first (not part of the saved report: a property of this run).
    const timing = view.readTimes === undefined ? {} : { timing: view.readTimes };
    writeStdout(`${toSafeJson({ ...view.report, ...(match === undefined ? {} : { match: match.source }), groups: shown, ...timing }, 2)}\n`);
  } else if (args.csv) {
    writeStdout(renderReportCsv(shown, { sort: args.sort, groupBy: view.report.groupBy, cgroups: view.report.system.cgroups !== undefined || view.report.groups.some((group) => group.cgroup !== undefined) }));
  } else {
    // On a terminal nothing wraps: rows fitted to its width, the lines under the table wrapped at words.
    const width = args.wide ? undefined : terminalWidth();
    const table = renderReportTable(view, { units: args.units, fancy: isFancyOutput(), groups: shown, width, sort: args.sort });
    const matchedLine = match === undefined ? '' : wrapLines(matchedNote(view.report.groups, candidates, match.source), width);
    // The System block: three lines by default, so that `footprint -n 10` fits a 24-line screen; --system: part by part.
    let system = args.system ? renderSystemLines(view, args.units) : renderSystemSummary(view, args.units);
    // Who holds the shared memory: as dear as `footprint shmem`, so only where the System block is itemised; live only (a
    // capture has no walk of the tmpfs mounts: `footprint shmem --proc-root` says what it can).
    if (args.system && args.procRoot === undefined) system += `  ${(await import('../../collect/collectShmem.js')).describeMachineShmem(new ProcReader(), args.units)}\n`;
    writeStdout(`${table}${matchedLine}${wrapLines(renderCoverageLine(view), width)}\n${wrapLines(system, width, args.system ? '             ' : '  ')}`);
  }
  return EXIT_OK;
}

/** Why -p or -u measured nothing, where the scan saw processes it left out (a PID not there, a kernel thread). */
function leftOutNote(view: ReportView): string {
  const { scan } = view.report;
  if (scan.seen === 0) return '';
  const coverage = renderCoverageLine(view);
  const lead = coverage.slice(0, coverage.indexOf('. '));
  if (lead.startsWith('Left out: ')) return ` (${lead.slice('Left out: '.length)})`;
  const quiet = scan.kernelThreads + scan.zombies;
  return quiet > 0 ? ` (${quiet === 1 ? 'a kernel thread or zombie, which holds' : `${quiet} kernel threads or zombies, which hold`} no user memory)` : '';
}

/**
 * Under the table with --match (as smem -P's total is of what it lists, the
 * reader must know which this is): the total line above is the whole
 * machine's, so that it and the System block still add up.
 */
function matchedNote(all: readonly ProgramGroup[], matched: readonly ProgramGroup[], source: string): string {
  const processes = matched.reduce((sum, group) => sum + group.count, 0);
  const groups = `${matched.length} of ${all.length} group${all.length === 1 ? '' : 's'}`;
  return `--match ${escapeText(shellQuote(source))}: ${groups} (${processes} process${processes === 1 ? '' : 'es'}) listed; the total line is the whole machine's.\n`;
}
