import { UsageError } from '../../errors.js';
import type { TextPattern } from '../../reduce/matchGroups.js';
import { shellQuote } from '../../reduce/shellQuote.js';
import { escapeText } from '../../render/escapeText.js';
import type { ReportView } from '../../reduce/buildReport.js';

/**
 * Compiles --match as run's --mark is compiled (run/markPattern.ts: re2js,
 * required only now, so that a run without --match loads nothing more). A
 * pattern RE2 refuses is a usage error.
 */
export async function compileMatch(source: string | undefined): Promise<TextPattern | undefined> {
  if (source === undefined) return undefined;
  const { compileMarkPattern } = await import('../../run/markPattern.js');
  const compiled = await compileMarkPattern(String(source));
  if (!compiled.ok) throw new UsageError(`--match: ${compiled.reason}`);
  return { source: String(source), test: (text) => compiled.pattern.test(text) };
}

/** The filters given, as they would be typed (`-p 1,2 -u nobody --match 'py'`), escaped for a terminal. */
export function describeFilters(filters: { pid?: readonly number[]; user?: string; match?: string; program?: readonly string[] }): string {
  const parts: string[] = [];
  if (filters.pid !== undefined) parts.push(`-p ${filters.pid.join(',')}`);
  if (filters.user !== undefined) parts.push(`-u ${shellQuote(String(filters.user))}`);
  for (const name of filters.program ?? []) parts.push(`--program ${shellQuote(String(name))}`);
  if (filters.match !== undefined) parts.push(`--match ${shellQuote(String(filters.match))}`);
  return escapeText(parts.join(' '));
}

/**
 * What a filter that matches nothing does, in every command: one line on
 * stderr and exit 1, as pgrep does; nothing on stdout (no table, no JSON
 * document), so that `footprint --json --match x | jq` fails rather than
 * reads an empty report as "nothing uses memory".
 */
export function noMatchLine(filters: string, why = '', what: 'process' | 'group' | 'row' = 'process'): string {
  return `footprint: no ${what} matched ${filters}${why}\n`;
}

/**
 * serve and export with --match: a view whose groups are the matching ones,
 * so that only they are series (and "(other)" sums only matching groups past
 * --top); the machine's own families (system, scan) are unchanged.
 */
export function matchedView(view: ReportView): ReportView {
  return view.matched === undefined ? view : { ...view, report: { ...view.report, groups: view.matched } };
}
