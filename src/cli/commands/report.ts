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
import { EXIT_OK, UsageError } from '../../errors.js';
import { isSmapsAvailable, runRssOnlyReport } from '../rssOnlyFallback.js';
import { benchSwitches } from '../benchSwitches.js';

/** The default command: scan, rank, print. */
export async function runReport(args: ReportArgs): Promise<number> {
  if (args.json && args.csv) throw new UsageError('--json and --csv cannot be used together');
  if (args.procRoot === undefined && !isSmapsAvailable()) return runRssOnlyReport(args);
  // oom_score, one read a process, only where it shows: JSON always, a table or CSV when ranked by it or by PID.
  const oomScores = args.json || isAskedFor(figureSpec('oomScore'), { sort: args.sort, groupBy: args.group });
  const view = await collectReportView({ ...args, oomScores }, { warn: writeStderr });
  // Hidden, for bench/run.mjs: footprint's own memory at the end of the scan, on stderr.
  if (benchSwitches().selfReport) (await import('../selfReport.js')).writeSelfReport('after-scan');
  const filter = [args.pid === undefined ? '' : `-p ${args.pid.join(',')}`, args.user === undefined ? '' : `-u ${args.user}`].filter((part) => part !== '').join(' ');
  if (filter !== '' && view.report.groups.length === 0) {
    const why = view.report.scan.seen > 0 ? ' (the Left out line says why)' : '';
    writeStderr(`footprint: no process matched ${escapeText(filter)}${why}\n`);
  }
  const ranked = rankGroups(view.report.groups, args.sort, args.reverse);
  const shown = args.top === undefined ? ranked : ranked.slice(0, args.top);
  if (args.json) {
    writeStdout(`${toSafeJson({ ...view.report, groups: shown }, 2)}\n`);
  } else if (args.csv) {
    writeStdout(renderReportCsv(shown, { sort: args.sort, groupBy: view.report.groupBy, cgroups: view.report.system.cgroups !== undefined || view.report.groups.some((group) => group.cgroup !== undefined) }));
  } else {
    // On a terminal nothing wraps: rows fitted to its width, the lines under the table wrapped at words.
    const width = args.wide ? undefined : terminalWidth();
    const table = renderReportTable(view, { units: args.units, fancy: isFancyOutput(), groups: shown, width, sort: args.sort });
    // The System block: three lines by default, so that `footprint -n 10` fits a 24-line screen; --system: part by part.
    const system = args.system ? renderSystemLines(view, args.units) : renderSystemSummary(view, args.units);
    writeStdout(`${table}${wrapLines(renderCoverageLine(view), width)}\n${wrapLines(system, width, args.system ? '             ' : '  ')}`);
  }
  return EXIT_OK;
}
