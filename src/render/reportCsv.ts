import type { ProgramGroup } from '../model/report.js';
import { FIGURES, FIGURE_SPECS } from '../model/figures.js';
import { escapeText } from './escapeText.js';
import { isAskedFor, type AskedColumns } from './reportTable.js';

/** A group's name, count and PIDs, every figure of FIGURES (bytes) but those shown only on request, and whether it was estimated. */
const COLUMNS = ['name', 'count', 'pids', ...FIGURE_SPECS.filter((figure) => figure.onRequest === undefined).map((figure) => figure.key), 'estimated'];

/** --group cgroup, where the hierarchy was found: the cgroup's charge and limits, in bytes; "max" for no limit, blank for unknown. */
const CGROUP_COLUMNS = [
  ['cgroupCharge', (group: ProgramGroup) => group.cgroup?.charge],
  ['cgroupLimit', (group: ProgramGroup) => group.cgroup?.limit],
  ['cgroupHigh', (group: ProgramGroup) => group.cgroup?.high],
] as const;

export interface CsvColumns extends AskedColumns {
  /** The cgroup columns (--group cgroup with a hierarchy found). */
  cgroups?: boolean;
}

/**
 * What a spreadsheet takes for the start of a formula (OWASP, "CSV
 * Injection"): a cell that begins so is run, not shown. Tab and CR are in
 * the list too; escapeText has already made them `\t` and `\r`, but the check
 * stays on what is written.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell: control characters escaped first, so no row can be split or
 * forged; a cell that a spreadsheet would read as a formula gets OWASP's
 * leading `'` (shown by the spreadsheet as text, `-bash` as `'-bash` elsewhere);
 * then RFC 4180 quoting. Only text goes through here: numbers are written as
 * numbers, never prefixed, so a byte count (or a negative change) stays a
 * figure a spreadsheet can add up.
 */
export function csvField(value: string): string {
  const escaped = escapeText(value);
  const formula = FORMULA_START.test(escaped);
  const safe = formula ? `'${escaped}` : escaped;
  // OWASP also asks for the neutralised cell to be quoted.
  return formula || /[",]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * One header line and one line per group; byte counts as integers. Columns
 * beyond the usual ones come last, so that a reader of the columns it knows
 * reads them where they were: a figure shown on request (oomScore: when ranked
 * by it, or --group pid), then the cgroup's (--group cgroup, hierarchy found).
 * An unknown figure is a blank cell, never 0.
 */
export function renderReportCsv(groups: readonly ProgramGroup[], asked: CsvColumns = {}): string {
  const trailing = FIGURE_SPECS.filter((figure) => isAskedFor(figure, asked)).map((figure) => figure.key);
  const cgroupColumns = asked.cgroups === true && asked.groupBy === 'cgroup' ? CGROUP_COLUMNS : [];
  const lines = [[...COLUMNS, ...trailing, ...cgroupColumns.map(([name]) => name)].join(',')];
  for (const group of groups) {
    const record = group as unknown as Record<string, unknown>;
    const cells = [...COLUMNS, ...trailing].map((column) => {
      const value = record[column];
      if (column === 'name') return csvField(group.name);
      if (Array.isArray(value)) return value.join(' ');
      return value === undefined ? '' : String(value);
    });
    for (const [, of] of cgroupColumns) {
      const value = of(group);
      cells.push(value === undefined ? '' : value === null ? 'max' : String(value));
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}
