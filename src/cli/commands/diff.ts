import type { UnitChoice } from '../choices.js';
import { EXIT_OK, EXIT_THRESHOLD, UsageError } from '../errors.js';
import { isFancyOutput, writeStderr, writeStdout } from '../output.js';
import { parseSize } from '../sizeArgs.js';
import { resolveReportDir } from '../../store/reportDir.js';
import { resolveReportRef } from '../../store/resolveReportRef.js';
import { readReport } from '../../store/readReport.js';
import { diffReports, growthOver } from '../../reduce/diffReports.js';
import { renderDiffTable } from '../../render/diffTable.js';
import { escapeText, toSafeJson } from '../../render/escapeText.js';
import { formatBytes } from '../../render/units.js';

export const DIFF_SCHEMA = 'footprint.diff/1';

export interface DiffArgs {
  old: string;
  new: string;
  dir?: string;
  json: boolean;
  all: boolean;
  failOver?: string;
  units: UnitChoice;
}

/** What grew between two saved reports; exit 3 when a program's writable memory grew past --fail-over. */
export async function runDiff(args: DiffArgs): Promise<number> {
  const limit = args.failOver === undefined ? undefined : parseSize('--fail-over', args.failOver);
  const dir = resolveReportDir(args.dir);
  const oldPath = resolveReportRef(String(args.old), dir);
  const newPath = resolveReportRef(String(args.new), dir);
  const older = readReport(oldPath);
  const newer = readReport(newPath);
  if (older.groupBy !== newer.groupBy) {
    throw new UsageError(
      `cannot compare reports grouped differently: ${oldPath} by ${older.groupBy}, ${newPath} by ${newer.groupBy}`);
  }
  const diff = diffReports(older, newer);
  if (args.json) {
    const document = {
      schema: DIFF_SCHEMA,
      groupBy: newer.groupBy,
      old: { file: oldPath, time: older.time, host: older.host },
      new: { file: newPath, time: newer.time, host: newer.host },
      ...diff,
    };
    writeStdout(`${toSafeJson(document, 2)}\n`);
  } else {
    writeStdout(`${escapeText(oldPath)} (${older.time}) -> ${escapeText(newPath)} (${newer.time})\n`);
    writeStdout(renderDiffTable(diff, { groupBy: newer.groupBy, units: args.units, fancy: isFancyOutput(), all: args.all }));
  }
  if (limit === undefined) return EXIT_OK;
  const over = growthOver(diff, limit);
  if (over.length === 0) return EXIT_OK;
  const names = over.slice(0, 5).map((change) => `${escapeText(change.name)} (+${formatBytes(change.change.writable)})`);
  const more = over.length > 5 ? ` and ${over.length - 5} more` : '';
  writeStderr(`footprint: writable memory grew by more than ${formatBytes(limit)}: ${names.join(', ')}${more}\n`);
  return EXIT_THRESHOLD;
}
