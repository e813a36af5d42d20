import type { SaveArgs } from '../options/store.js';
import { basename, join } from 'node:path';
import { collectReportViewNow } from '../../collect/collectReport.js';
import { EXIT_OK, RuntimeFailure, UsageError } from '../../errors.js';
import { noteWritten, writeStderr, writeStdout } from '../output.js';
import { parseDuration } from '../values/size.js';
import { resolveReportDir } from '../../store/reportDir.js';
import { ensureReportDir } from '../../store/ensureReportDir.js';
import { ReportWriteError, removeStaleTempFiles, writeReportAtomically } from '../../store/writeReport.js';
import { pruneReports } from '../../store/pruneReports.js';
import { indexDirectoryProblem, indexWarning, updateIndex } from '../../store/historyIndex.js';
import { listReportDays } from '../../store/listReportDays.js';
import { parseReportName } from '../../store/reportName.js';
import { describeFileError } from '../../kernel/files/fileErrors.js';
import { escapeText } from '../../render/escapeText.js';

export type { SaveArgs };

/** Scans and stores one report; silent on success so that cron mails nothing. */
export async function runSave(args: SaveArgs): Promise<number> {
  // Not yargs' conflicts(): both have defaults, which it counts as given.
  if (args.quiet && args.verbose) throw new UsageError('--quiet and --verbose cannot be used together');
  const keepMs = args.keep === undefined ? undefined : parseDuration('--keep', args.keep);
  const dir = resolveReportDir(args.dir);
  ensureReportDir(dir);
  const { report } = collectReportViewNow(args, { warn: writeStderr });
  let path: string;
  try {
    path = writeReportAtomically(dir, report, Date.parse(report.time));
  } catch (error) {
    if (error instanceof ReportWriteError) {
      throw new RuntimeFailure(`report not saved: ${error.message}: ${describeFileError(error.cause)}`);
    }
    throw error;
  }
  // One listing, read an entry at a time, for all the housekeeping below: a year
  // of 5-minute reports is 105,000 entries.
  const now = Date.now();
  const others: string[] = [];
  const listing = listReportDays(dir, undefined, (name) => others.push(name));
  removeStaleTempFiles(dir, now, others);
  const removed = keepMs === undefined ? [] : pruneReports(dir, listing, keepMs, now, path);
  keepIndexCurrent(dir, [path, ...removed], listing);
  if (!args.verbose && !args.quiet) noteWritten(path, 'saved');
  if (args.verbose) {
    writeStdout(`${escapeText(path)}\n`);
    for (const old of removed) writeStdout(`removed ${escapeText(old)}\n`);
  }
  return EXIT_OK;
}

/**
 * Updates the history index for the days whose reports changed, so that
 * `history` after cron use finds it current. The index is a cache: any failure
 * here is ignored (history then updates the day itself), and a segment that
 * misses a file saved meanwhile by another run is stale, never wrong. A file
 * of those days that is no usable report (a gzip bomb, a truncated copy) gets
 * a warning: the report is saved all the same, and cron mails the line.
 */
function keepIndexCurrent(dir: string, paths: readonly string[], listing: ReadonlyMap<string, string[]>): void {
  // An index that is a link, or another user's, is not written: one line says so, and the days are still checked.
  const indexProblem = indexDirectoryProblem(dir);
  if (indexProblem !== undefined) writeStderr(`footprint: warning: ${escapeText(indexWarning(dir, indexProblem))}\n`);
  try {
    const days = new Set(paths.flatMap((path) => parseReportName(basename(path))?.day ?? []));
    for (const { name, reason } of updateIndex(dir, days, listing, indexProblem === undefined)) {
      writeStderr(`footprint: warning: ${escapeText(join(dir, name))} is not a usable report, history skips it: ${escapeText(reason)}\n`);
    }
  } catch {
    // Only slower: the next history brings these days up to date.
  }
}
