import { REPORT_OPTIONS, type ReportArgs } from './options/report.js';
import { parsePositiveInteger } from './values/report.js';
import { readOptionTable } from './optionTable.js';

/**
 * The report's own options (REPORT_OPTIONS), read without yargs: the arguments
 * of `footprint --json`, `footprint -n 10 --sort ram` and their like. Undefined
 * whenever readOptionTable doubts them, or yargs would refuse a value.
 */
export function readReportArguments(argv: readonly string[]): ReportArgs | undefined {
  const given = readOptionTable(argv, REPORT_OPTIONS);
  if (given === undefined) return undefined;
  try {
    return { ...given, top: parsePositiveInteger('--top', given.top) };
  } catch {
    return undefined; // yargs says what was wrong
  }
}
