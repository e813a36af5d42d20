import type { ProgramGroup } from '../model/report.js';
import { FIGURE_KEYS } from '../model/figures.js';
import { escapeText } from './escapeText.js';

/** A group's name, count and PIDs, every figure of FIGURES (bytes), and whether it was estimated. */
const COLUMNS = ['name', 'count', 'pids', ...FIGURE_KEYS, 'estimated'] as const;

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

/** One header line and one line per group; byte counts as integers. */
export function renderReportCsv(groups: readonly ProgramGroup[]): string {
  const lines = [COLUMNS.join(',')];
  for (const group of groups) {
    lines.push(COLUMNS.map((column) => {
      const value = group[column];
      if (column === 'name') return csvField(group.name);
      if (Array.isArray(value)) return value.join(' ');
      return String(value);
    }).join(','));
  }
  return `${lines.join('\n')}\n`;
}
