import type { ProgramGroup } from '../model/report.js';
import { FIGURES, FIGURE_SPECS, type SummedFigure } from '../model/figures.js';
import { displayWidth, drawWithin, fitName, wrapLines } from './fitWidth.js';
import { renderTextTable } from './textTable.js';
import { formatColumn, type Unit } from './units.js';

/**
 * The ranked report as `watch` redraws it: a column for each group's change of
 * writable memory since the watch first saw it, laid out for the window — cut
 * to the rows that fit under the title and above the footer (wrapped at words),
 * names shortened in the middle so that no row is wider than the window.
 */
export function renderWatchScreen(
  groups: readonly ProgramGroup[], baseline: ReadonlyMap<string, number>,
  options: { units: Unit; rows: number; columns?: number; title: string; footer: string },
): string {
  const title = options.columns === undefined ? options.title : wrapLines(options.title, options.columns);
  const footer = options.columns === undefined ? options.footer : wrapLines(options.footer, options.columns);
  // Title, heading, rule, footer, and the last line left free so that the screen never scrolls.
  const fit = Math.max(1, options.rows - title.split('\n').length - 2 - footer.split('\n').length - 1);
  const shown = groups.slice(0, fit);
  const longest = Math.max(0, ...shown.map((group) => displayWidth(fitName(group.name, options.columns ?? Infinity))));
  const table = drawWithin(options.columns, longest, (nameWidth) => screenTable(shown, baseline, options.units, nameWidth));
  return `${title}\n${table}${footer}\n`;
}

function screenTable(shown: readonly ProgramGroup[], baseline: ReadonlyMap<string, number>, units: Unit, nameWidth: number): string {
  // The report's columns (FIGURES with a label, swap left out), with writable's change since the start beside it.
  const figures = FIGURE_SPECS.filter((figure) => figure.label !== undefined && figure.onlyWhenSome !== true);
  const rows: string[][] = [[figures[0].label!, 'Since start', ...figures.slice(1).map((figure) => figure.label!), 'Program']];
  const since = shown.map((group) => group.writable - (baseline.get(group.name) ?? group.writable));
  // One unit per column; the change keeps its sign.
  const columns = figures.map((figure) => formatColumn(shown.map((group) => group[figure.key as SummedFigure]), units));
  const changes = formatColumn(since.map(Math.abs), units).map((text, index) => (since[index] > 0 ? `+${text}` : since[index] < 0 ? `-${text}` : text));
  shown.forEach((group, index) => {
    const cells = columns.map((column) => column[index]);
    rows.push([cells[0], changes[index], ...cells.slice(1), `${fitName(group.name, nameWidth)} (${group.count})`]);
  });
  return renderTextTable(rows, { fancy: false, align: [...rows[0].slice(0, -1).map(() => 'right' as const), 'left'], rulesAfter: [0] });
}
