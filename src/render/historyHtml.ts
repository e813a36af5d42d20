import type { HistorySeries } from '../reduce/historySeries.js';
import { describeStep, formatPointTime } from './historyTimes.js';
import { formatBytes } from './units.js';
import { METRIC_TITLES } from './historyChart.js';
import { escapeHtml, renderHtmlPage } from './htmlPage.js';
import { byteAxis, formatTick } from './byteAxis.js';

export { escapeHtml };

/** Colours that stay apart for common colour blindness (Okabe-Ito, then Tol), each with its own dash pattern for greyscale print. */
const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#332288', '#882255', '#117733', '#999933'];
const DASHES = ['', '8 4', '2 3', '10 3 2 3', '4 4', '', '8 4', '2 3', '10 3 2 3', '4 4'];

const WIDTH = 1000;
const HEIGHT = 440;
const MARGIN = { left: 90, right: 70, top: 20, bottom: 60 };
const LEGEND_ROW = 22;

export interface HistoryPageInfo {
  dir: string;
  host: string;
  reportCount: number;
  generatedAt: string;
}

/**
 * A page that needs nothing but itself: inline CSS and SVG, no script, no
 * fonts or images from elsewhere (the CSP forbids any fetch). The chart's
 * figures are repeated in a table under it.
 */
export function renderHistoryHtml(history: HistorySeries, info: HistoryPageInfo): string {
  const title = `${METRIC_TITLES[history.metric]} — ${info.host}`;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const times = history.points.map((point) => point.startMs);
  const firstTime = times[0] ?? 0;
  const lastTime = times[times.length - 1] ?? 0;
  const span = lastTime - firstTime;
  const axis = byteAxis(Math.max(0, ...history.series.map((series) => series.peak)));
  const top = axis.top;
  const x = (time: number) => MARGIN.left + (span === 0 ? plotWidth / 2 : ((time - firstTime) / span) * plotWidth);
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const svg: string[] = [];
  const legendHeight = history.series.length * LEGEND_ROW + 10;
  const totalHeight = HEIGHT + legendHeight;
  svg.push(`<svg xmlns="http://www.w3.org/2000/svg" id="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${totalHeight}" width="${WIDTH}" height="${totalHeight}">`);
  svg.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="#fff" stroke="#888"/>`);
  for (const value of axis.ticks) {
    const ty = y(value).toFixed(1);
    svg.push(`<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${ty}" y2="${ty}"/>`);
    svg.push(`<text class="y-tick" x="${MARGIN.left - 8}" y="${ty}" text-anchor="end" dominant-baseline="middle">${formatTick(value)}</text>`);
  }
  const tickCount = Math.min(6, times.length);
  for (let tick = 0; tick < tickCount; tick++) {
    const time = tickCount === 1 ? firstTime : firstTime + (span * tick) / (tickCount - 1);
    const tx = x(time).toFixed(1);
    svg.push(`<line class="tick" x1="${tx}" x2="${tx}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight + 5}"/>`);
    svg.push(`<text class="x-tick" x="${tx}" y="${MARGIN.top + plotHeight + 20}" text-anchor="middle">${formatPointTime(time, history.stepMs)}</text>`);
  }
  svg.push(`<text class="axis-title" x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 12}" text-anchor="middle">Time (UTC)</text>`);
  svg.push(`<text class="axis-title" transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(METRIC_TITLES[history.metric])}</text>`);
  history.series.forEach((series, index) => {
    const colour = PALETTE[index % PALETTE.length];
    const dash = DASHES[index % DASHES.length];
    let path = '';
    let pen = false;
    const dots: string[] = [];
    series.values.forEach((value, point) => {
      if (value === null) {
        pen = false;
        return;
      }
      const px = x(times[point]).toFixed(1);
      const py = y(value).toFixed(1);
      path += `${pen ? 'L' : 'M'}${px} ${py} `;
      pen = true;
      if (series.values.length <= 80) dots.push(`<circle cx="${px}" cy="${py}" r="3" fill="${colour}"/>`);
    });
    const name = escapeHtml(series.name);
    svg.push(`<g class="series" data-series="${name}" data-points="${series.values.filter((value) => value !== null).length}">`);
    svg.push(`<title>${name}</title>`);
    svg.push(`<path d="${path.trim()}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    svg.push(...dots, '</g>');
    const ly = HEIGHT + index * LEGEND_ROW + 10;
    svg.push(`<g class="legend-item" data-series="${name}">`);
    svg.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + 36}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="3"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    svg.push(`<text x="${MARGIN.left + 46}" y="${ly}" dominant-baseline="middle">${name} — peak ${formatBytes(series.peak)}, last ${formatBytes(series.last)}</text>`);
    svg.push('</g>');
  });
  svg.push('</svg>');

  const head = ['<th scope="col">Time (UTC)</th>', ...history.series.map((series) => `<th scope="col">${escapeHtml(series.name)}</th>`)];
  const rows: string[] = [];
  history.points.forEach((point, index) => {
    if (point.reports === 0) return;
    const cells = history.series.map((series) => {
      const value = series.values[index];
      return value === null ? '<td>–</td>' : `<td title="${value} bytes">${formatBytes(value)}</td>`;
    });
    rows.push(`<tr><th scope="row">${formatPointTime(point.startMs, history.stepMs)}</th>${cells.join('')}</tr>`);
  });
  const missing = history.missing.length > 0
    ? `<p class="note">Not found in any report of the range: ${history.missing.map(escapeHtml).join(', ')}</p>` : '';
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="meta">Top ${history.series.length} by peak, grouped by ${escapeHtml(history.groupBy)}; ${info.reportCount} reports from ${escapeHtml(info.dir)} (${describeStep(history.stepMs)}); made ${escapeHtml(info.generatedAt)} by footprint.</p>
${svg.join('\n')}
${missing}
<table id="figures">
<thead><tr>${head.join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
  return renderHtmlPage(title, body);
}
