import { HISTORY_SCHEMA } from '../../model/schemas.js';
import type { HistoryArgs } from '../options/store.js';
import { dirname } from 'node:path';
import { EXIT_FAILURE, EXIT_OK, RuntimeFailure } from '../../errors.js';
import { compileMatch, describeFilters, noMatchLine } from '../values/match.js';
import { isFancyOutput, noteWritten, terminalWidth, writeStderr, writeStdout } from '../output.js';
import { parseDuration } from '../values/size.js';
import { resolveReportDir } from '../../store/reportDir.js';
import { listReportDays } from '../../store/listReportDays.js';
import { parseReportName } from '../../store/reportName.js';
import { nameTimeProblem, reportTimeProblem } from '../../store/reportTimes.js';
import { forEachSegment, indexDirectoryProblem, indexWarning, removeOrphanSegments, type DayNames, type IndexOptions } from '../../store/historyIndex.js';
import { describeFileError } from '../../kernel/files/fileErrors.js';
import { checkOutputPath, writeFileAtomically } from '../../store/writeFileAtomically.js';
import { checkWritableDirectory } from '../../store/writablePlace.js';
import { HistoryAccumulator, bucketOf, finishSeries, planBuckets, type HistorySeries } from '../../reduce/historySeries.js';
import { renderHistoryChart, renderHistoryTable, renderHistoryTitle } from '../../render/historyChart.js';
import { renderHistoryHtml } from '../../render/historyHtml.js';
import { escapeText, toSafeJson } from '../../render/escapeText.js';
import { wrapLines } from '../../render/fitWidth.js';

export type { HistoryArgs };

const TERMINAL_POINTS = 60;
const PAGE_POINTS = 500;
const DAY_MS = 86_400_000;

interface Gathered {
  history: HistorySeries;
  reportCount: number;
  host: string;
  warnings: string[];
}

/** Reads the range through the index and reduces it to the chosen series. Exported for the benchmark and tests. */
export async function gatherHistory(args: HistoryArgs, nowMs: number, maxPoints: number, index: IndexOptions = {}): Promise<Gathered> {
  // A saved report keeps each group's name, not its command lines: --match reads the name (under --group cmdline, the command line).
  const match = await compileMatch(args.match);
  const sinceMs = parseDuration('--since', args.since);
  const dir = resolveReportDir(args.dir);
  let listing;
  try {
    listing = listReportDays(dir);
  } catch (error) {
    throw new RuntimeFailure(`cannot list ${dir}: ${describeFileError(error)}`);
  }
  // Only names are kept per report (a year of 5-minute reports is 105,000 files); times come from the names.
  const cutoffMs = nowMs - sinceMs;
  const touched: DayNames[] = [];
  const times: number[] = [];
  const warnings: string[] = [];
  const skip = (name: string, reason: string) => warnings.push(`footprint: warning: skipping ${escapeText(`${dir}/${name}`)}: ${escapeText(reason)}\n`);
  // A name in the future is left out before the range is planned: it would stretch the axis to its date.
  const inRange = (name: string) => {
    const timeMs = parseReportName(name)!.timeMs;
    return timeMs >= cutoffMs && nameTimeProblem(timeMs, nowMs) === undefined;
  };
  let total = 0;
  for (const [day, names] of listing) {
    total += names.length;
    if (Date.parse(day) + DAY_MS <= cutoffMs) continue;
    // All the day's names, the future ones too: the index lists the day's files as they are.
    touched.push({ day, names });
    for (const name of names) {
      const timeMs = parseReportName(name)!.timeMs;
      const problem = nameTimeProblem(timeMs, nowMs);
      if (problem !== undefined) skip(name, problem);
      else if (timeMs >= cutoffMs) times.push(timeMs);
    }
  }
  if (times.length === 0) {
    throw new RuntimeFailure(`no reports saved in ${dir} in the last ${args.since}${total > 0 ? ` (${total} older)` : ''}`);
  }
  const plan = planBuckets(times, maxPoints);
  // One point per report only while they fit into maxPoints: then a report's point is its position.
  const positions = plan.stepMs === null
    ? new Map(touched.flatMap(({ names }) => names).filter(inRange).map((name, position) => [name, position]))
    : undefined;
  const bucketOfFile = (name: string): number | undefined => {
    const parsed = parseReportName(name);
    if (!parsed || !inRange(name)) return undefined;
    return positions ? positions.get(name) : bucketOf(plan, parsed.timeMs, 0);
  };

  // An index that is a link, or another user's, is neither read nor written: the days come from the reports.
  const indexProblem = indexDirectoryProblem(dir);
  if (indexProblem !== undefined) warnings.push(`footprint: warning: ${escapeText(indexWarning(dir, indexProblem))}\n`);
  const accumulators = new Map<string, HistoryAccumulator>();
  const reportsByGrouping = new Map<string, number>();
  let latest = { timeMs: -Infinity, groupBy: 'program', host: '' };
  await forEachSegment(dir, touched, ['nameId', args.metric], (segment) => {
    // Segment name ids to accumulator ids, worked out once per segment.
    const idsBySegment = new Map<HistoryAccumulator, number[]>();
    for (const file of segment.files) {
      const bucket = bucketOfFile(file.name);
      if (bucket === undefined) continue;
      if (file.bad !== undefined) {
        skip(file.name, file.bad);
        continue;
      }
      const timeProblem = reportTimeProblem(parseReportName(file.name)!.timeMs, file.timeMs!, nowMs);
      if (timeProblem !== undefined) {
        skip(file.name, timeProblem);
        continue;
      }
      const groupBy = file.groupBy!;
      let accumulator = accumulators.get(groupBy);
      if (!accumulator) {
        accumulator = new HistoryAccumulator(plan.starts.length);
        accumulators.set(groupBy, accumulator);
      }
      reportsByGrouping.set(groupBy, (reportsByGrouping.get(groupBy) ?? 0) + 1);
      if (file.timeMs! > latest.timeMs) latest = { timeMs: file.timeMs!, groupBy, host: file.host ?? '' };
      accumulator.addReport(bucket);
      let ids = idsBySegment.get(accumulator);
      if (!ids) {
        ids = segment.names.map((name) => accumulator!.nameId(name));
        idsBySegment.set(accumulator, ids);
      }
      const nameIds = segment.columns.nameId!.values;
      const { values, scale } = segment.columns[args.metric]!;
      accumulator.addRows(bucket, ids, nameIds, values, scale, file.firstRow, file.firstRow + file.rowCount);
    }
  }, { ...index, useIndex: indexProblem === undefined });
  if (indexProblem === undefined) removeOrphanSegments(dir, new Set(listing.keys()), nowMs);
  warnings.sort();
  for (const [groupBy, count] of reportsByGrouping) {
    if (groupBy !== latest.groupBy) {
      warnings.push(`footprint: warning: left out ${count} ${count === 1 ? 'report' : 'reports'} grouped by ${groupBy} (the latest is grouped by ${latest.groupBy})\n`);
    }
  }
  const accumulator = accumulators.get(latest.groupBy);
  if (!accumulator) throw new RuntimeFailure(`none of the ${times.length} reports in range could be read`);
  const history = finishSeries(accumulator, plan, {
    metric: args.metric, groupBy: latest.groupBy, top: args.top ?? 5, programs: args.program?.map(String), only: match === undefined ? undefined : (name) => match.test(name),
  });
  return { history, reportCount: reportsByGrouping.get(latest.groupBy) ?? 0, host: latest.host, warnings };
}

/** Table and chart of the top groups over the saved reports, or an HTML page of them. */
export async function runHistory(args: HistoryArgs): Promise<number> {
  const now = Date.now();
  if (args.html !== undefined) {
    // Before the work: a page that cannot be written (read-only, under /proc, no such directory, a FIFO or device at the name) fails at once.
    try {
      checkOutputPath(args.html);
      checkWritableDirectory(dirname(args.html));
    } catch (error) {
      throw new RuntimeFailure(`cannot write ${args.html}: ${describeFileError(error)}`);
    }
  }
  const { history, reportCount, host, warnings } = await gatherHistory(args, now, args.html ? PAGE_POINTS : TERMINAL_POINTS);
  for (const warning of warnings) writeStderr(warning);
  // A filter that finds no group in the range: exit 1, one line, as the report's -p and --match.
  if (history.series.length === 0 && (args.match !== undefined || (args.program ?? []).length > 0)) {
    writeStderr(noMatchLine(describeFilters({ program: args.program?.map(String), match: args.match }), ` in the reports of the last ${escapeText(args.since)}`, 'group'));
    return EXIT_FAILURE;
  }
  for (const name of history.missing) writeStderr(`footprint: warning: ${escapeText(name)} is in no report of the range\n`);
  if (args.html !== undefined) {
    const page = renderHistoryHtml(history, {
      dir: resolveReportDir(args.dir), host, reportCount, generatedAt: new Date(now).toISOString(),
    });
    try {
      writeFileAtomically(args.html, page);
      if (!args.quiet) noteWritten(args.html);
    } catch (error) {
      throw new RuntimeFailure(`cannot write ${args.html}: ${describeFileError(error)}`);
    }
    return EXIT_OK;
  }
  if (args.json) {
    writeStdout(`${toSafeJson({ schema: HISTORY_SCHEMA, reports: reportCount, ...history }, 2)}\n`);
    return EXIT_OK;
  }
  const fancy = isFancyOutput();
  // On a terminal nothing wraps: names shortened in the middle, the title wrapped; --wide and a pipe get them whole.
  const width = args.wide ? undefined : terminalWidth();
  writeStdout(wrapLines(renderHistoryTitle(history, reportCount), width));
  if (history.series.length === 0) return EXIT_OK;
  writeStdout(renderHistoryTable(history, { units: args.units ?? 'auto', fancy, width }));
  writeStdout('\n');
  writeStdout(renderHistoryChart(history, { fancy, columns: width }));
  return EXIT_OK;
}
