import { commandLine } from './commandLine.js';
import type { RunDocument } from '../model/run.js';
import { escapeHtml, niceTop, renderHtmlPage } from './htmlPage.js';
import { formatMs, plural } from './runSummary.js';
import { formatByteChange, formatBytes } from './units.js';
import { displayWidth } from './fitWidth.js';

const WIDTH = 1000;
const HEIGHT = 460;
const MARGIN = { left: 90, right: 40, top: 40, bottom: 60 };
const WRITABLE = '#0072b2';
const RAM = '#d55e00';
const MARK = '#555';
/** Mark labels are monospace 11px: at most this many px a character (Chromium draws ~6.6), so that widths are known before drawing. */
const LABEL_CHAR_PX = 7;
const LABEL_LANE_PX = 14;
/** Longer mark texts are shortened with '…' on the chart; the title (hover) and the marks table have them whole. */
const LABEL_MAX_CHARS = 28;

/** A mark's label on the chart; `lane` undefined where not even its number finds room: the marks table (numbered) has it. */
export interface PlacedLabel { lane: number | undefined; text: string; x: number; width: number }

/**
 * Where each mark's label goes: the first lane (row of labels from the top of the
 * plot) where it ends before the next label of that lane begins, so that no two labels
 * overlap. A label with no room in the first `maxLanes` lanes is shortened to its
 * number, which may go down to lane `numberLanes - 1`; one with no room even then is
 * left to the numbered marks table under the chart (every mark's whole text is there).
 * `x` is each mark's position in px; labels never pass `right`. Widths are reckoned in
 * terminal columns (a wide character is two) at LABEL_CHAR_PX each.
 */
export function placeMarkLabels(
  texts: readonly string[], x: readonly number[], right: number, maxLanes: number, numberLanes = maxLanes * 4,
): PlacedLabel[] {
  const laneEnds: number[] = [];
  return texts.map((whole, index) => {
    const number = String(index + 1);
    const long = [...whole].length > LABEL_MAX_CHARS ? `${[...whole].slice(0, LABEL_MAX_CHARS - 1).join('')}…` : whole;
    for (const [text, lanes] of [[`${number} ${long}`, maxLanes], [number, Math.max(maxLanes, numberLanes)]] as const) {
      const width = displayWidth(text) * LABEL_CHAR_PX;
      // Past the right edge, the label ends at the mark instead of starting there.
      const start = x[index] + 4 + width > right ? x[index] - 4 - width : x[index] + 4;
      for (let lane = 0; lane < lanes; lane++) {
        if ((laneEnds[lane] ?? -Infinity) + 6 <= start) {
          laneEnds[lane] = start + width;
          return { lane, text, x: start, width };
        }
      }
    }
    return { lane: undefined, text: number, x: x[index] + 4, width: 0 };
  });
}

/**
 * `run --html FILE`: the run's memory over time as one self-contained page:
 * writable memory and RAM used of the whole tree, the marks as labelled
 * vertical lines, the peak called out, and the summary as a table.
 */
export function renderRunHtml(run: RunDocument, info: { generatedAt: string }): string {
  const command = commandLine(run.command);
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
  // Whole labels in the first 4 lanes; numbers alone down the plot's height (a white halo keeps them legible over the lines).
  const numberLanes = Math.floor((plotHeight - 8) / LABEL_LANE_PX);
  const placed = placeMarkLabels(run.marks.map((mark) => mark.text), run.marks.map((mark) => x(mark.ms)), MARGIN.left + plotWidth, 4, numberLanes);
  run.marks.forEach((mark, index) => {
    const mx = x(mark.ms).toFixed(1);
    const memory = mark.writable === undefined ? '' : `: writable ${formatBytes(mark.writable)}${mark.change === undefined ? '' : ` (${formatByteChange(mark.change)})`}`;
    const { lane, text, x: lx } = placed[index];
    const label = lane === undefined ? ''
      : `<text class="mark-label" style="font: 11px monospace; paint-order: stroke; stroke: #fff; stroke-width: 3px" x="${lx.toFixed(1)}" y="${MARGIN.top + 14 + lane * LABEL_LANE_PX}">${escapeHtml(text)}</text>`;
    svg.push(`<g class="mark" data-ms="${mark.ms}"><title>${escapeHtml(mark.text)} (${formatMs(mark.ms)}${memory})</title>`
      + `<line x1="${mx}" x2="${mx}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="${MARK}" stroke-dasharray="2 3"/>${label}</g>`);
  });
  const shortened = placed.filter((label, index) => label.text !== `${index + 1} ${run.marks[index].text}`).length;
  if (run.samples.length > 0) {
    const px = x(run.peak.ms).toFixed(1);
    const py = y(run.peak.writable).toFixed(1);
    // The call-out sits in the legend's row, a ring like the peak's before it: in the plot it would cross the marks' labels.
    const lx = MARGIN.left + 360;
    svg.push(`<g class="peak"><circle cx="${px}" cy="${py}" r="5" fill="none" stroke="${WRITABLE}" stroke-width="2"/>`
      + `<circle cx="${lx}" cy="20" r="5" fill="none" stroke="${WRITABLE}" stroke-width="2"/>`
      + `<text x="${lx + 10}" y="20" dominant-baseline="middle">peak ${formatBytes(run.peak.writable)} at ${formatMs(run.peak.ms)}, ${run.peak.processes} process${run.peak.processes === 1 ? '' : 'es'}</text></g>`);
  }
  svg.push(`<g class="legend"><line x1="${MARGIN.left}" x2="${MARGIN.left + 30}" y1="20" y2="20" stroke="${WRITABLE}" stroke-width="3"/>`
    + `<text x="${MARGIN.left + 36}" y="20" dominant-baseline="middle">Writable (Private_Dirty)</text>`
    + `<line x1="${MARGIN.left + 230}" x2="${MARGIN.left + 260}" y1="20" y2="20" stroke="${RAM}" stroke-width="3" stroke-dasharray="6 4"/>`
    + `<text x="${MARGIN.left + 266}" y="20" dominant-baseline="middle">RAM used</text></g>`);
  svg.push('</svg>');

  const ended = run.signal !== null ? `killed by ${run.signal}` : `exit status ${run.exitCode}`;
  const sampling = run.sampling;
  const hwm = run.kernel?.vmHwm;
  const charge = run.kernel?.cgroup;
  const summary: [string, string][] = [
    ['Peak writable', `${formatBytes(run.peak.writable)} at ${formatMs(run.peak.ms)}, across ${run.peak.processes} process${run.peak.processes === 1 ? '' : 'es'} (sampled)`],
    ['Writable at end', formatBytes(run.end.writable)],
    ['Peak RAM used', `${formatBytes(run.peak.ram)} (sampled)`],
    ['Peak RSS (sum over the tree)', `${formatBytes(run.peak.rss)} (sampled)`],
    ...(hwm === undefined ? [] : [['Peak RSS, exact', `${formatBytes(hwm.bytes)} (the kernel's VmHWM of PID ${hwm.pid}, ${run.processesSeen === 1 ? "the tree's one process" : 'the largest process; exact for it alone'})`] as [string, string]]),
    ...(charge === undefined ? [] : [["Kernel's charge (exact)", `peak ${formatBytes(charge.peak)} (the run's memory cgroup, ${charge.source}: page cache and kernel memory included); `
      + `at the end anon ${formatBytes(charge.anon)}, file ${formatBytes(charge.file)}${charge.kernel === undefined ? '' : `, kernel ${formatBytes(charge.kernel)}`}`] as [string, string]]),
    ['Page faults', `${run.faults.minor} minor, ${run.faults.major} major (the kernel's accounting${(run.followed ?? 0) > 0 ? `; the ${run.followed} processes that left the tree not counted` : ''})`],
    ['Time', `${formatMs(run.wallMs)} wall, ${formatMs(run.userMs)} user, ${formatMs(run.sysMs)} system`],
    ['Ended', ended],
    ['Processes seen', `${run.processesSeen}${(run.followed ?? 0) > 0 ? `, ${run.followed} followed after leaving the tree` : ''}`],
    ['Samples', sampling === undefined
      ? `${run.samples.length} kept, first every ${formatMs(run.intervalMs)}`
      : `${sampling.samples} taken (${run.samples.length} kept), median ${formatMs(sampling.medianGapMs)} apart, longest gap ${formatMs(sampling.longestGapMs)} (measured)`],
    ...(sampling === undefined ? [] : [['Probe', `${plural(sampling.probes, 'probe')}, ${sampling.probesPerSecond} a second, longest gap ${formatMs(sampling.probeLongestGapMs)}; ${plural(sampling.triggered.high, 'sample')} at a new high`] as [string, string]]),
  ];
  // Where the chart could not give every mark its whole line, a sentence says where they are: the numbered table.
  const note = shortened === 0 ? '' : `<p class="marks-note">${plural(shortened, 'mark')} ${shortened === 1 ? 'is' : 'are'} too crowded on the chart for ${shortened === 1 ? 'its' : 'their'} whole line: by number in the table below.</p>\n`;
  const marks = run.marks.length === 0 ? '' : `<h2>Marks</h2>
${note}<table id="marks">
<thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Writable</th><th scope="col">Change</th><th scope="col">Line</th></tr></thead>
<tbody>
${run.marks.map((mark, index) => `<tr><td>${index + 1}</td><td>${formatMs(mark.ms)}</td><td>${mark.writable === undefined ? '-' : formatBytes(mark.writable)}</td>`
  + `<td>${mark.change === undefined ? '-' : formatByteChange(mark.change)}</td><td class="text">${escapeHtml(mark.text)}</td></tr>`).join('\n')}
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
