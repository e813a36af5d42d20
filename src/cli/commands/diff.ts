import { commandLine } from '../../render/commandLine.js';
import type { DiffArgs } from '../options/store.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_THRESHOLD, UsageError } from '../../errors.js';
import { compileMatch, describeFilters, noMatchLine } from '../values/match.js';
import { matchNamed } from '../../reduce/matchGroups.js';
import { isFancyOutput, terminalWidth, writeStderr, writeStdout } from '../output.js';
import { parseSize } from '../values/size.js';
import { resolveReportDir } from '../../store/reportDir.js';
import { resolveReportRef } from '../../store/resolveReportRef.js';
import { readDocument } from '../../store/readReport.js';
import { diffRuns } from '../../reduce/diffRuns.js';
import { renderRunDiffTable } from '../../render/runDiffTable.js';
import type { RunDocument } from '../../model/run.js';
import { diffReports, growthOver } from '../../reduce/diffReports.js';
import { renderDiffTable } from '../../render/diffTable.js';
import { escapeText, toSafeJson } from '../../render/escapeText.js';
import { formatBytes } from '../../render/units.js';
import { wrapLines } from '../../render/fitWidth.js';

import { DIFF_SCHEMA, RUN_DIFF_SCHEMA } from '../../model/schemas.js';
import { describeOomMark } from '../../render/describeOomMark.js';

export { DIFF_SCHEMA, RUN_DIFF_SCHEMA };

export type { DiffArgs };

/** What grew between two saved reports; exit 3 when a program's writable memory grew past --fail-over. */
export async function runDiff(args: DiffArgs): Promise<number> {
  const limit = args.failOver === undefined ? undefined : parseSize('--fail-over', args.failOver);
  const dir = resolveReportDir(args.dir);
  const warned = new Set<string>();
  const onSkipped = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    writeStderr(`footprint: warning: ${escapeText(message)}\n`);
  };
  const oldPath = resolveReportRef(String(args.old), dir, { onSkipped });
  const newPath = resolveReportRef(String(args.new), dir, { onSkipped });
  const olderDocument = readDocument(oldPath);
  const newerDocument = readDocument(newPath);
  if (olderDocument.kind === 'run' || newerDocument.kind === 'run') {
    if (olderDocument.kind !== 'run' || newerDocument.kind !== 'run') {
      throw new UsageError(`cannot compare a run document with a report: ${oldPath} is a ${olderDocument.kind === 'run' ? 'run' : 'report'}, ${newPath} a ${newerDocument.kind === 'run' ? 'run' : 'report'}`);
    }
    if (args.match !== undefined) throw new UsageError('--match picks groups of reports; a run document has none');
    return diffRunDocuments(args, limit, { path: oldPath, run: olderDocument.run }, { path: newPath, run: newerDocument.run });
  }
  const older = olderDocument.report;
  const newer = newerDocument.report;
  if (older.groupBy !== newer.groupBy) {
    throw new UsageError(
      `cannot compare reports grouped differently: ${oldPath} by ${older.groupBy}, ${newPath} by ${newer.groupBy}`);
  }
  const whole = diffReports(older, newer);
  // --match: the rows of the groups whose name matches (a saved report keeps no command lines); the totals stay the reports' own.
  const match = await compileMatch(args.match);
  const diff = match === undefined ? whole : { ...whole, changes: matchNamed(whole.changes, match) };
  if (match !== undefined && diff.changes.length === 0) {
    writeStderr(noMatchLine(describeFilters({ match: match.source }), ' in either report', 'group'));
    return EXIT_FAILURE;
  }
  if (args.json) {
    const document = {
      schema: DIFF_SCHEMA,
      groupBy: newer.groupBy,
      // An OOM report (the scan before a kill) says so, with its mark.
      old: { file: oldPath, time: older.time, host: older.host, ...(older.oom === undefined ? {} : { oom: older.oom }) },
      new: { file: newPath, time: newer.time, host: newer.host, ...(newer.oom === undefined ? {} : { oom: newer.oom }) },
      ...diff,
    };
    writeStdout(`${toSafeJson(document, 2)}\n`);
  } else {
    const when = (report: typeof older) => (report.oom === undefined ? report.time : `${report.time}, the scan before: ${describeOomMark(report.oom)}`);
    // On a terminal nothing wraps: names shortened in the middle, the title wrapped; --wide and a pipe get them whole.
    const width = args.wide ? undefined : terminalWidth();
    writeStdout(wrapLines(`${escapeText(oldPath)} (${when(older)}) -> ${escapeText(newPath)} (${when(newer)})\n`, width));
    writeStdout(renderDiffTable(diff, { groupBy: newer.groupBy, units: args.units, fancy: isFancyOutput(), all: args.all, width }));
  }
  if (limit === undefined) return EXIT_OK;
  const over = growthOver(diff, limit);
  if (over.length === 0) return EXIT_OK;
  const names = over.slice(0, 5).map((change) => `${escapeText(change.name)} (+${formatBytes(change.change.writable)})`);
  const more = over.length > 5 ? ` and ${over.length - 5} more` : '';
  writeStderr(`footprint: writable memory grew by more than ${formatBytes(limit)}: ${names.join(', ')}${more}\n`);
  return EXIT_THRESHOLD;
}

/**
 * Two runs of a program (footprint.run/1), before and after a change: peak and
 * end writable memory, page faults and wall time; exit 3 when the peak grew by
 * more than --fail-over, so CI can guard a program's footprint.
 */
function diffRunDocuments(
  args: DiffArgs, limit: number | undefined, older: { path: string; run: RunDocument }, newer: { path: string; run: RunDocument },
): number {
  const diff = diffRuns(older.run, newer.run);
  if (args.json) {
    const document = {
      schema: RUN_DIFF_SCHEMA,
      old: { file: older.path, command: older.run.command },
      new: { file: newer.path, command: newer.run.command },
      ...diff,
    };
    writeStdout(`${toSafeJson(document, 2)}\n`);
  } else {
    const command = (run: RunDocument) => commandLine(run.command);
    writeStdout(`${escapeText(older.path)} (${command(older.run)}) -> ${escapeText(newer.path)} (${command(newer.run)})\n`);
    writeStdout(renderRunDiffTable(diff, { units: args.units, fancy: isFancyOutput() }));
  }
  if (limit === undefined || diff.peakWritable.change <= limit) return EXIT_OK;
  writeStderr(`footprint: peak writable memory grew by ${formatBytes(diff.peakWritable.change)}, more than ${formatBytes(limit)}\n`);
  return EXIT_THRESHOLD;
}
