import type { ProgramGroup } from '../model/report.js';
import { FIGURE_SPECS, type FigureSpec } from '../model/figures.js';
import { WATCH_KEYS, type WatchView } from '../reduce/watchKeys.js';
import { displayWidth, drawWithin, fitName, wrapLines } from './fitWidth.js';
import { GROUP_HEADINGS } from './groupHeadings.js';
import { isAskedFor, UNKNOWN_MARK } from './reportTable.js';
import { renderTextTable } from './textTable.js';
import { formatColumn, type Unit } from './units.js';

export interface WatchScreenOptions {
  units: Unit;
  /** The window's lines and columns (no columns: not fitted). */
  rows: number;
  columns?: number;
  title: string;
  /** The lines under the table (what the scan left out), wrapped at words to the window. */
  footer: string;
  /** How the groups are ranked and grouped (they come ranked): the columns and the keys' line follow it. */
  view: WatchView;
  /** Keys are read (stdin is a terminal): the last line lists them. */
  keys: boolean;
}

/**
 * The ranked report as `watch` redraws it: a column for each group's change of
 * writable memory since the watch first saw it, laid out for the window — cut
 * to the rows that fit under the title and above the footer (wrapped at words),
 * names as wide as the window leaves them, shortened in the middle beyond that
 * so that no row is wider than the window — and a last line of the keys.
 */
export function renderWatchScreen(groups: readonly ProgramGroup[], baseline: ReadonlyMap<string, number>, options: WatchScreenOptions): string {
  const fitted = (text: string) => (options.columns === undefined ? text : wrapLines(text, options.columns));
  const title = fitted(options.title);
  const footer = fitted(options.keys ? `${options.footer}\n${renderWatchKeys(options.view)}` : options.footer);
  // Title, heading, rule, footer, and the last line left free so that the screen never scrolls.
  const fit = Math.max(1, options.rows - title.split('\n').length - 2 - footer.split('\n').length - 1);
  const shown = groups.slice(0, fit);
  const longest = Math.max(0, ...shown.map((group) => displayWidth(fitName(group.name, options.columns ?? Infinity))));
  const table = drawWithin(options.columns, longest, (nameWidth) => screenTable(shown, baseline, options, nameWidth));
  return `${title}\n${table}${footer}\n`;
}

/** The keys and what each does now: `s/S sort: writable  g/G group: program  r reverse  q quit`. */
export function renderWatchKeys(view: WatchView): string {
  return WATCH_KEYS.map(({ keys, does }) => {
    if (does === 'sort') return `${keys} sort: ${view.sort}${view.reverse ? ' (reversed)' : ''}`;
    if (does === 'group') return `${keys} group: ${view.group}`;
    return `${keys} ${does}`;
  }).join('   ');
}

/**
 * The report's columns (FIGURES with a label), with writable's change since the start beside it: swap only
 * when the screen is ranked by it (a column of zeros on most machines otherwise), the OOM score when asked for
 * as the report asks for it (ranked by it, or one process a row). A figure the keys cannot sort by (Pss dirty)
 * is left to the report and JSON: a top keeps its columns for the names.
 */
function screenFigures(view: WatchView): (FigureSpec & { label: string })[] {
  return FIGURE_SPECS.flatMap((figure) => {
    if (figure.sortable === false) return [];
    if (isAskedFor(figure, { sort: view.sort, groupBy: view.group })) return [{ ...figure, label: figure.onRequest!.label }];
    if (figure.label === undefined || (figure.onlyWhenSome === true && view.sort !== (figure.sortAs ?? figure.key))) return [];
    return [figure as FigureSpec & { label: string }];
  });
}

function screenTable(shown: readonly ProgramGroup[], baseline: ReadonlyMap<string, number>, options: WatchScreenOptions, nameWidth: number): string {
  const figures = screenFigures(options.view);
  const rows: string[][] = [[figures[0].label, 'Since start', ...figures.slice(1).map((figure) => figure.label), GROUP_HEADINGS[options.view.group]]];
  const since = shown.map((group) => group.writable - (baseline.get(group.name) ?? group.writable));
  // One unit per column; the change keeps its sign; a score is a plain number, unknown where unread.
  const columns = figures.map((figure) => {
    const values = shown.map((group) => (group as unknown as Record<string, number | undefined>)[figure.key]);
    if (figure.unit === 'score') return values.map((value) => (value === undefined ? UNKNOWN_MARK : String(value)));
    return formatColumn(values.map((value) => value ?? 0), options.units);
  });
  const changes = formatColumn(since.map(Math.abs), options.units).map((text, index) => (since[index] > 0 ? `+${text}` : since[index] < 0 ? `-${text}` : text));
  shown.forEach((group, index) => {
    const cells = columns.map((column) => column[index]);
    rows.push([cells[0], changes[index], ...cells.slice(1), `${fitName(group.name, nameWidth)} (${group.count})`]);
  });
  return renderTextTable(rows, { fancy: false, align: [...rows[0].slice(0, -1).map(() => 'right' as const), 'left'], rulesAfter: [0] });
}
