import type { ReportArgs } from './reportArgs.js';
import { REPORT_OPTIONS, parsePidList, parsePositiveInteger } from './reportOptions.js';
import { readOptionTable, type OptionTable } from './optionTable.js';

/**
 * The report's own options (REPORT_OPTIONS), read without yargs: the arguments
 * of `footprint --json`, `footprint -n 10 --sort ram` and their like. Undefined
 * whenever readOptionTable doubts them, or yargs would refuse a value.
 */
export function readReportArguments(argv: readonly string[]): ReportArgs | undefined {
  const given = readOptionTable(argv, REPORT_OPTIONS as OptionTable);
  if (given === undefined) return undefined;
  let pid: number[] | undefined;
  let top: number | undefined;
  try {
    pid = parsePidList(given.pid as string | undefined);
    top = parsePositiveInteger('--top', given.top);
  } catch {
    return undefined; // yargs says what was wrong
  }
  return {
    group: given.group as ReportArgs['group'],
    estimate: given.estimate as boolean,
    pid,
    user: given.user as string | undefined,
    procRoot: given['proc-root'] as string | undefined,
    sort: given.sort as ReportArgs['sort'],
    reverse: given.reverse as boolean,
    top,
    json: given.json as boolean,
    csv: given.csv as boolean,
    units: given.units as ReportArgs['units'],
    wide: given.wide as boolean,
  };
}
