import type { RunDocument } from '../model/run.js';
import { escapeHtml, niceTop, renderHtmlPage } from './htmlPage.js';
import { formatMs } from './runSummary.js';
import { formatBytes } from './units.js';

const WIDTH = 1000;
const HEIGHT = 460;
const MARGIN = { left: 90, right: 40, top: 40, bottom: 60 };
const WRITABLE = '#0072b2';
const RAM = '#d55e00';
const MARK = '#555';

/**
 * `run --html FILE`: the run's memory over time as one self-contained page:
 * writable memory and RAM used of the whole tree, the marks as labelled
 * vertical lines, the peak called out, and the summary as a table.
 */
export function renderRunHtml(run: RunDocument, info: { generatedAt: string }): string {
  const command = run.command.join(' ');
  const title = `Memory of ${command}`;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const spanMs = Math.max(1, run.wallMs, ...run.samples.map((sample) => sample.ms));
  const top = niceTop(Math.max(run.peak.writable, ...run.samples.map((sample) => sample.ram)));
  const x = (ms: number) => MARGIN.left + (ms / spanMs) * plotWidth;
  const y = (bytes: number) => MARGIN.top + plotHeight - (bytes / top) * plotHeight;
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" id="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="#fff" stroke="#888"/>`,
  ];
  for (let tick = 0; tick <= 5; tick++) {
    const ty = y((top * tick) / 5).toFixed(1);
    svg.push(`<line class="grid" x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${ty}" y2="${ty}"/>`);
    svg.push(`<text class="y-tick" x="${MARGIN.left - 8}" y="${ty}" text-anchor="end" dominant-baseline="middle">${formatBytes((top * tick) / 5)}</text>`);
  }
  for (let tick = 0; tick <= 5; tick++) {
    const tx = x((spanMs * tick) / 5).toFixed(1);
    svg.push(`<line class="tick" x1="${tx}" x2="${tx}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight + 5}"/>`);
    svg.push(`<text class="x-tick" x="${tx}" y="${MARGIN.top + plotHeight + 20}" text-anchor="middle">${formatMs((spanMs * tick) / 5)}</text>`);
  }
  svg.push(`<text class="axis-title" x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 12}" text-anchor="middle">Time since the command started</text>`);
  svg.push(`<text class="axis-title" transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">Memory of the whole tree</text>`);
  const line = (name: string, key: 'writable' | 'ram', colour: string, dash: string) => {
    const path = run.samples.map((sample, index) => `${index === 0 ? 'M' : 'L'}${x(sample.ms).toFixed(1)} ${y(sample[key]).toFixed(1)}`).join(' ');
    svg.push(`<g class="series" data-series="${name}" data-points="${run.samples.length}"><title>${name}</title>`
      + `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/></g>`);
  };
  line('RAM used', 'ram', RAM, '6 4');
  line('Writable', 'writable', WRITABLE, '');
  run.marks.forEach((mark, index) => {
    const mx = x(mark.ms).toFixed(1);
    const label = escapeHtml(mark.text);
    // Labels alternate between two heights so that close marks stay readable.
    const ly = MARGIN.top + 14 + (index % 2) * 14;
    svg.push(`<g class="mark" data-ms="${mark.ms}"><title>${label} (${formatMs(mark.ms)})</title>`
      + `<line x1="${mx}" x2="${mx}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="${MARK}" stroke-dasharray="2 3"/>`
      + `<text x="${Number(mx) + 4}" y="${ly}">${label}</text></g>`);
  });
  if (run.samples.length > 0) {
    const px = x(run.peak.ms).toFixed(1);
    const py = y(run.peak.writable).toFixed(1);
    const anchor = Number(px) > MARGIN.left + plotWidth * 0.7 ? 'end' : 'start';
    svg.push(`<g class="peak"><circle cx="${px}" cy="${py}" r="5" fill="none" stroke="${WRITABLE}" stroke-width="2"/>`
      + `<text x="${Number(px) + (anchor === 'end' ? -8 : 8)}" y="${Number(py) - 10}" text-anchor="${anchor}">peak ${formatBytes(run.peak.writable)} at ${formatMs(run.peak.ms)}, ${run.peak.processes} process${run.peak.processes === 1 ? '' : 'es'}</text></g>`);
  }
  svg.push(`<g class="legend"><line x1="${MARGIN.left}" x2="${MARGIN.left + 30}" y1="20" y2="20" stroke="${WRITABLE}" stroke-width="3"/>`
    + `<text x="${MARGIN.left + 36}" y="20" dominant-baseline="middle">Writable (Private_Dirty)</text>`
    + `<line x1="${MARGIN.left + 230}" x2="${MARGIN.left + 260}" y1="20" y2="20" stroke="${RAM}" stroke-width="3" stroke-dasharray="6 4"/>`
    + `<text x="${MARGIN.left + 266}" y="20" dominant-baseline="middle">RAM used</text></g>`);
  svg.push('</svg>');

  const ended = run.signal !== null ? `killed by ${run.signal}` : `exit status ${run.exitCode}`;
  const summary: [string, string][] = [
    ['Peak writable', `${formatBytes(run.peak.writable)} at ${formatMs(run.peak.ms)}, across ${run.peak.processes} process${run.peak.processes === 1 ? '' : 'es'} (sampled)`],
    ['Writable at end', formatBytes(run.end.writable)],
    ['Peak RAM used', formatBytes(run.peak.ram)],
    ['Peak RSS (sum over the tree)', formatBytes(run.peak.rss)],
    ['Page faults', `${run.faults.minor} minor, ${run.faults.major} major`],
    ['Time', `${formatMs(run.wallMs)} wall, ${formatMs(run.userMs)} user, ${formatMs(run.sysMs)} system`],
    ['Ended', ended],
    ['Processes seen', String(run.processesSeen)],
    ['Samples', `${run.samples.length} kept, first every ${formatMs(run.intervalMs)}`],
  ];
  const marks = run.marks.length === 0 ? '' : `<h2>Marks</h2>
<table id="marks">
<thead><tr><th scope="col">Time</th><th scope="col">Line</th></tr></thead>
<tbody>
${run.marks.map((mark) => `<tr><td>${formatMs(mark.ms)}</td><td class="text">${escapeHtml(mark.text)}</td></tr>`).join('\n')}
</tbody>
</table>`;
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(ended)} after ${formatMs(run.wallMs)}; made ${escapeHtml(info.generatedAt)} by footprint run.</p>
${svg.join('\n')}
<table id="summary">
<tbody>
${summary.map(([label, value]) => `<tr><th scope="row">${label}</th><td class="text">${escapeHtml(value)}</td></tr>`).join('\n')}
</tbody>
</table>
${marks}`;
  return renderHtmlPage(title, body);
}
