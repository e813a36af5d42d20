import type { HistorySeries } from '../reduce/historySeries.js';
import { describeStep, formatPointTime } from './historyTimes.js';
import { displayWidth, fitName, widestLine } from './fitWidth.js';
import { FIGURES, FIGURE_SPECS } from '../model/figures.js';
import { formatBytes, formatColumn, type Unit } from './units.js';
import { renderTextTable } from './textTable.js';
import { byteAxis, formatTick } from './byteAxis.js';
import { GROUP_HEADINGS } from './groupHeadings.js';
import type { GroupBy } from '../model/report.js';

/** Each line has its own mark, so the chart reads the same without colour. */
export const SERIES_MARKS = ['*', '+', 'o', 'x', '#', '@', '%', '&', '=', '~'];
const COLOURS = [31, 32, 34, 33, 35, 36, 91, 92, 94, 93];
const CHART_HEIGHT = 10;
const CHART_WIDTH = 60;

export function markOf(index: number): string {
  return SERIES_MARKS[index % SERIES_MARKS.length];
}

/** Each chartable figure's title, from FIGURES. */
export const METRIC_TITLES: Record<string, string> = Object.fromEntries(
  FIGURE_SPECS.flatMap((figure) => (figure.history === undefined ? [] : [[figure.key, figure.history]])),
);

/**
 * The figures: one row per point that had reports, one column per group. Given
 * a terminal's width, the groups' names in the header are shortened in the
 * middle so that no row is wider.
 */
export function renderHistoryTable(history: HistorySeries, options: { units: Unit; fancy: boolean; width?: number }): string {
  // One unit per series' column.
  const kept = history.points.map((point, index) => index).filter((index) => history.points[index].reports > 0);
  const columns = history.series.map((series) => {
    const known = kept.map((index) => series.values[index]).filter((value): value is number => value !== null);
    const texts = formatColumn(known, options.units);
    let next = 0;
    return kept.map((index) => (series.values[index] === null ? '-' : texts[next++]));
  });
  const longest = Math.max(0, ...history.series.map((series) => displayWidth(fitName(series.name, options.width ?? Infinity))));
  const draw = (nameWidth: number) => {
    const rows: string[][] = [['Time (UTC)', ...history.series.map((series, index) => `${markOf(index)} ${fitName(series.name, nameWidth)}`)]];
    kept.forEach((pointIndex, row) => {
      rows.push([formatPointTime(history.points[pointIndex].startMs, history.stepMs), ...columns.map((column) => column[row])]);
    });
    return renderTextTable(rows, {
      fancy: options.fancy,
      align: ['left', ...history.series.map(() => 'right' as const)],
      rulesAfter: [0],
    });
  };
  let nameWidth = options.width ?? Infinity;
  let table = draw(nameWidth);
  if (options.width === undefined) return table;
  // The names give way, the longest first (a figure never does), until the rows fit.
  nameWidth = longest;
  for (let excess = widestLine(table) - options.width; excess > 0 && nameWidth > 4; excess = widestLine(table) - options.width) {
    nameWidth = Math.max(4, nameWidth - Math.ceil(excess / Math.max(1, history.series.length)));
    table = draw(nameWidth);
  }
  return table;
}

/**
 * A line chart in plain characters: one mark per group and point, a y axis
 * with sizes, a time axis, a legend. Colour only adds to the marks.
 */
export function renderHistoryChart(history: HistorySeries, options: { fancy: boolean; height?: number; width?: number; columns?: number }): string {
  const pointCount = history.points.length;
  const spacing = Math.max(1, Math.floor((options.width ?? CHART_WIDTH) / Math.max(1, pointCount)));
  // Room after the last point too, for the marks of groups that meet there.
  const width = Math.max(1, (pointCount - 1) * spacing + Math.min(spacing, history.series.length));
  // One row per tick of a round binary step, so that every row is labelled with its exact value.
  const yAxis = byteAxis(Math.max(0, ...history.series.map((series) => series.peak)), (options.height ?? CHART_HEIGHT) - 1);
  const height = yAxis.ticks.length;
  const grid: string[][] = Array.from({ length: height }, () => Array<string>(width).fill(' '));
  // The larger groups first; a mark that lands on another's cell moves right within its
  // point's slot (same value, same time) where there is room, so that both show.
  history.series.forEach((series, index) => {
    const mark = options.fancy ? `\x1b[${COLOURS[index % COLOURS.length]}m${markOf(index)}\x1b[0m` : markOf(index);
    series.values.forEach((value, point) => {
      if (value === null) return;
      const row = height - 1 - Math.round(value / yAxis.step);
      const slot = point * spacing;
      const shift = grid[row].slice(slot, Math.min(width, slot + spacing)).indexOf(' ');
      if (shift !== -1) grid[row][slot + shift] = mark;
    });
  });
  const labels = grid.map((_, row) => formatTick(yAxis.ticks[height - 1 - row]));
  const labelWidth = Math.max(...labels.map((label) => label.length));
  const lines = grid.map((cells, row) => `${labels[row].padStart(labelWidth)} |${cells.join('')}`.trimEnd());
  lines.push(`${' '.repeat(labelWidth)} +${'-'.repeat(width)}`);
  const first = pointCount > 0 ? formatPointTime(history.points[0].startMs, history.stepMs) : '';
  const last = pointCount > 1 ? formatPointTime(history.points[pointCount - 1].startMs, history.stepMs) : '';
  const axis = `${' '.repeat(labelWidth + 2)}${first}`;
  lines.push(last && axis.length + 2 + last.length <= labelWidth + 2 + width
    ? `${axis}${last.padStart(labelWidth + 2 + width - axis.length)}`
    : last ? `${axis} .. ${last}` : axis);
  history.series.forEach((series, index) => {
    // `columns`: a terminal's width, which the legend's names are shortened to fit.
    const figures = `  (peak ${formatBytes(series.peak)}, last ${formatBytes(series.last)})`;
    const room = options.columns === undefined ? Infinity : Math.max(8, options.columns - (labelWidth + 4) - figures.length);
    lines.push(`${' '.repeat(labelWidth + 2)}${markOf(index)} ${fitName(series.name, room)}${figures}`);
  });
  return `${lines.join('\n')}\n`;
}

/** The line above table and chart: what is shown, over which range, from how many reports. */
export function renderHistoryTitle(history: HistorySeries, reportCount: number): string {
  const heading = GROUP_HEADINGS[history.groupBy as GroupBy] ?? history.groupBy;
  const points = history.points.filter((point) => point.reports > 0);
  if (points.length === 0) return `${METRIC_TITLES[history.metric]}: no reports in range\n`;
  const from = formatPointTime(points[0].startMs, history.stepMs);
  const to = formatPointTime(points[points.length - 1].startMs, history.stepMs);
  return `${METRIC_TITLES[history.metric]} by ${heading.toLowerCase()}, ${from} to ${to} UTC, ${reportCount} ${reportCount === 1 ? 'report' : 'reports'} (${describeStep(history.stepMs)})\n`;
}
