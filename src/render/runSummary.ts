import type { RunDocument } from '../model/run.js';
import { escapeText } from './escapeText.js';
import { formatBytes, type Unit } from './units.js';

const CHART_WIDTH = 60;
const CHART_HEIGHT = 8;
/** Marks numbered under the terminal chart: one digit each. */
const MAX_CHART_MARKS = 9;

/** 340 ms, 12.34 s, 3m05s. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

function describeEnd(run: RunDocument): string {
  return run.signal !== null ? `was killed by ${run.signal}` : `exited with ${run.exitCode}`;
}

/** The command as one line, each argument escaped and quoted where it holds a space or is empty. */
function commandLine(command: string[]): string {
  return command.map((arg) => {
    const safe = escapeText(arg);
    return safe === '' || /[\s'"]/.test(safe) ? `'${safe.replace(/'/g, "'\\''")}'` : safe;
  }).join(' ');
}

/**
 * The summary `run` prints on stderr when CMD ends, led by writable memory,
 * like GNU time's but with the tree's memory over time.
 */
export function renderRunSummary(run: RunDocument, options: { units: Unit; samples: number; finalIntervalMs: number }): string {
  const fmt = (bytes: number) => formatBytes(bytes, options.units);
  const lines = [`footprint: ${commandLine(run.command)} ${describeEnd(run)} after ${formatMs(run.wallMs)}`];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(18)}${text}`);
  if (options.samples === 0 || run.processesSeen === 0) {
    row('Memory', 'not sampled: the command ended before the first sample');
  } else {
    const processes = `${run.peak.processes} process${run.peak.processes === 1 ? '' : 'es'}`;
    row('Peak writable', `${fmt(run.peak.writable)} at ${formatMs(run.peak.ms)}, across ${processes} (sampled: a peak between samples is missed)`);
    row('Writable at end', fmt(run.end.writable));
    row('Peak RAM used', `${fmt(run.peak.ram)}; peak RSS ${fmt(run.peak.rss)} (sums over the tree)`);
  }
  row('Page faults', `${run.faults.minor} minor, ${run.faults.major} major (the whole tree, from the kernel's accounting)`);
  row('Time', `${formatMs(run.wallMs)} wall, ${formatMs(run.userMs)} user, ${formatMs(run.sysMs)} system`);
  const every = options.finalIntervalMs === run.intervalMs
    ? `every ${formatMs(run.intervalMs)}`
    : `every ${formatMs(run.intervalMs)} at first, at most ${formatMs(options.finalIntervalMs)} apart`;
  row('Processes', `${run.processesSeen} seen; ${options.samples} sample${options.samples === 1 ? '' : 's'} ${every}`);
  if (run.peakMappings !== undefined) {
    const at = run.peakMappings;
    // File backings by their base name here ("libcrypto.so.3"); --json has the paths.
    const where = at.mappings.slice(0, 5).map((mapping) => `${escapeText(mapping.name.slice(mapping.name.lastIndexOf('/') + 1))} ${fmt(mapping.writable)}`).join(', ');
    row('At the peak', `PID ${at.pid} (${escapeText(at.name)}), read at ${formatMs(at.ms)}: ${where || 'no private dirty memory'}`);
  }
  if (run.samples.length >= 2 && run.peak.writable > 0) lines.push(...renderRunChart(run, fmt));
  return `${lines.join('\n')}\n`;
}

/**
 * Writable memory over the run in plain characters: each column the largest
 * sample of its slice of time, drawn as a bar of '#'; the peak's column is
 * marked under the time axis.
 */
export function renderRunChart(run: RunDocument, fmt: (bytes: number) => string): string[] {
  const spanMs = Math.max(1, run.samples[run.samples.length - 1].ms);
  const width = Math.min(CHART_WIDTH, run.samples.length);
  const columns = Array<number>(width).fill(-1);
  const columnOf = (ms: number) => Math.min(width - 1, Math.floor((ms / spanMs) * width));
  for (const sample of run.samples) {
    const column = columnOf(sample.ms);
    columns[column] = Math.max(columns[column], sample.writable);
  }
  // A slice with no sample of its own carries the one before it.
  for (let column = 1; column < width; column++) if (columns[column] < 0) columns[column] = columns[column - 1];
  const top = run.peak.writable;
  const labels = [fmt(top), fmt(0)];
  const labelWidth = Math.max(...labels.map((label) => label.length));
  const lines: string[] = [];
  for (let row = CHART_HEIGHT; row >= 1; row--) {
    const cells = columns.map((value) => (value > 0 && Math.ceil((value / top) * CHART_HEIGHT) >= row ? '#' : ' ')).join('');
    const label = row === CHART_HEIGHT ? labels[0] : '';
    lines.push(`  ${label.padStart(labelWidth)} |${cells}`.trimEnd());
  }
  lines.push(`  ${labels[1].padStart(labelWidth)} +${'-'.repeat(width)}`);
  const peakColumn = columnOf(run.peak.ms);
  lines.push(`  ${' '.repeat(labelWidth + 1)}${' '.repeat(peakColumn)}^ peak ${fmt(run.peak.writable)} at ${formatMs(run.peak.ms)}`);
  const shownMarks = run.marks.slice(0, MAX_CHART_MARKS);
  if (shownMarks.length > 0) {
    const row = Array<string>(width).fill(' ');
    shownMarks.forEach((mark, index) => { row[columnOf(mark.ms)] = String(index + 1); });
    lines.push(`  ${' '.repeat(labelWidth + 1)}${row.join('')}`.trimEnd());
  }
  const start = '0 ms';
  const endLabel = formatMs(spanMs);
  lines.push(`  ${' '.repeat(labelWidth + 2)}${start}${endLabel.padStart(Math.max(endLabel.length + 1, width - start.length))}`);
  shownMarks.forEach((mark, index) => lines.push(`  ${String(index + 1).padStart(labelWidth)}  ${formatMs(mark.ms)}: ${escapeText(mark.text)}`));
  if (run.marks.length > shownMarks.length) lines.push(`  ${' '.repeat(labelWidth)}  and ${run.marks.length - shownMarks.length} more marks (in --json)`);
  return lines;
}
