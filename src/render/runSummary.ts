import { commandLine } from './commandLine.js';
import type { RunDocument } from '../model/run.js';
import { escapeText } from './escapeText.js';
import { formatByteChange, formatBytes, type Unit } from './units.js';
import { wrapWords } from './fitWidth.js';

const CHART_WIDTH = 60;
const CHART_HEIGHT = 8;
/** Each mark's label under the terminal chart: one character each, 61 of them; '*' where marks share a column. */
const MARK_LABELS = '123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Marks listed in the summary's table; the rest are in --json. */
const MAX_LISTED_MARKS = 20;

/** The label of mark `index` (0-based) under the chart and in the marks table. */
export function markLabel(index: number): string {
  return MARK_LABELS[index] ?? '+';
}

/** "1 probe", "3 probes". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

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

/**
 * The summary `run` prints on stderr when CMD ends, led by writable memory,
 * like GNU time's but with the tree's memory over time.
 */
export function renderRunSummary(run: RunDocument, options: { units: Unit; samples: number; finalIntervalMs: number; width?: number }): string {
  const fmt = (bytes: number) => formatBytes(bytes, options.units);
  const lines = [`footprint: ${commandLine(run.command)} ${describeEnd(run)} after ${formatMs(run.wallMs)}`];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(18)}${text}`);
  const sampling = run.sampling;
  if ((run.deniedSamples ?? 0) > 0 && run.processesSeen === 0) {
    const tried = run.deniedSamples === 1 ? '1 sample tried' : `${run.deniedSamples} samples tried`;
    row('Memory', `not measured: footprint may not read the command's memory (denied, ${tried}: another user's or a setuid program)`);
  } else if (options.samples === 0 || run.processesSeen === 0) {
    row('Memory', 'not sampled: the command ended before the first sample');
  } else {
    const processes = `${run.peak.processes} process${run.peak.processes === 1 ? '' : 'es'}`;
    const how = sampling === undefined ? 'sampled: a peak between samples is missed' : 'sampled; a probe between samples sampled each new high';
    row('Peak writable', `${fmt(run.peak.writable)} at ${formatMs(run.peak.ms)}, across ${processes} (${how})`);
    row('Writable at end', fmt(run.end.writable));
    row('Peak RAM used', `${fmt(run.peak.ram)}; peak RSS ${fmt(run.peak.rss)} (sums over the tree${sampling === undefined ? '' : ', sampled'})`);
  }
  const hwm = run.kernel?.vmHwm;
  if (hwm !== undefined) {
    const whose = run.processesSeen === 1 ? "the tree's one process" : `PID ${hwm.pid}, the largest process; exact for it alone`;
    row('Peak RSS, exact', `${fmt(hwm.bytes)} (the kernel's VmHWM of ${whose})`);
  }
  const charge = run.kernel?.cgroup;
  if (charge !== undefined) {
    row("Kernel's charge", `peak ${fmt(charge.peak)} (the run's memory cgroup, ${charge.source}: page cache and kernel memory included)`);
    const kernel = charge.kernel === undefined ? '' : `, kernel ${fmt(charge.kernel)}`;
    row('', `at the end: anon ${fmt(charge.anon)}, file ${fmt(charge.file)} (shmem ${fmt(charge.shmem)})${kernel}`);
  }
  const followed = run.followed ?? 0;
  const notCounted = followed > 0 ? `; not counted: the ${followed} process${followed === 1 ? '' : 'es'} that left the tree` : '';
  row('Page faults', `${run.faults.minor} minor, ${run.faults.major} major (the whole tree, from the kernel's accounting${notCounted})`);
  row('Time', `${formatMs(run.wallMs)} wall, ${formatMs(run.userMs)} user, ${formatMs(run.sysMs)} system`);
  const seen = `${run.processesSeen} seen${followed > 0 ? `, ${followed} of them followed after leaving the tree` : ''}`;
  if (run.processesSeen === 0 && (run.deniedSamples ?? 0) === 0) {
    // Nothing was measured: the Memory line says why, and a count of samples that found nothing would read as one that did.
    row('Processes', seen);
  } else if (sampling !== undefined) {
    const spacing = sampling.samples < 2 ? '' : `, median ${formatMs(sampling.medianGapMs)} apart, longest gap ${formatMs(sampling.longestGapMs)}`;
    row('Processes', `${seen}; ${sampling.samples} sample${sampling.samples === 1 ? '' : 's'}${spacing} (measured)`);
    row('Probe', `${plural(sampling.probes, 'probe')}, ${sampling.probesPerSecond} a second, longest gap ${formatMs(sampling.probeLongestGapMs)}; `
      + `${plural(sampling.triggered.high, 'sample')} at a new high`);
  } else {
    const every = options.finalIntervalMs === run.intervalMs
      ? `every ${formatMs(run.intervalMs)}`
      : `every ${formatMs(run.intervalMs)} at first, at most ${formatMs(options.finalIntervalMs)} apart`;
    row('Processes', `${seen}; ${options.samples} sample${options.samples === 1 ? '' : 's'} ${every}`);
  }
  if (run.peakMappings !== undefined) {
    const at = run.peakMappings;
    // File backings by their base name here ("libcrypto.so.3"); --json has the paths.
    const where = at.mappings.slice(0, 5).map((mapping) => `${escapeText(mapping.name.slice(mapping.name.lastIndexOf('/') + 1))} ${fmt(mapping.writable)}`).join(', ');
    row('At the peak', `PID ${at.pid} (${escapeText(at.name)}), read at ${formatMs(at.ms)}: ${where || 'no private dirty memory'}`);
  }
  if (run.samples.length >= 2 && run.peak.writable > 0) lines.push(...renderRunChart(run, fmt));
  lines.push(...renderMarksTable(run, options.units));
  // On a terminal (`width`) nothing wraps mid-word: a long line goes on under the text column (20).
  const width = options.width;
  return `${width === undefined ? lines.join('\n') : lines.map((line) => wrapWords(line, width, ' '.repeat(line.startsWith('  ') ? 20 : 2)).join('\n')).join('\n')}\n`;
}

/** Each mark: its label on the chart, time, the tree's writable memory then and the change since the mark before. */
export function renderMarksTable(run: RunDocument, units: Unit): string[] {
  if (run.marks.length === 0) return [];
  const listed = run.marks.slice(0, MAX_LISTED_MARKS);
  const rows = listed.map((mark, index) => [
    markLabel(index), formatMs(mark.ms),
    mark.writable === undefined ? '-' : formatBytes(mark.writable, units),
    mark.change === undefined ? '-' : formatByteChange(mark.change, units),
    escapeText(mark.text),
  ]);
  const header = ['', 'time', 'writable', 'change', 'line'];
  const widths = [0, 1, 2, 3].map((column) => Math.max(header[column].length, ...rows.map((cells) => cells[column].length)));
  const format = (cells: string[]) => `  ${cells[0].padStart(widths[0])}  ${cells[1].padStart(widths[1])}  ${cells[2].padStart(widths[2])}  ${cells[3].padStart(widths[3])}  ${cells[4]}`.trimEnd();
  const lines = ['  Marks', format(header), ...rows.map(format)];
  if (run.marks.length > listed.length) lines.push(`  and ${run.marks.length - listed.length} more marks (in --json)`);
  return lines;
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
  if (run.marks.length > 0) {
    // Every mark is labelled; marks that share a column are one '*' (the table lists each).
    const row = Array<string>(width).fill(' ');
    run.marks.forEach((mark, index) => {
      const column = columnOf(mark.ms);
      row[column] = row[column] === ' ' ? markLabel(index) : '*';
    });
    lines.push(`  ${' '.repeat(labelWidth + 1)}${row.join('')}`.trimEnd());
  }
  const start = '0 ms';
  const endLabel = formatMs(spanMs);
  lines.push(`  ${' '.repeat(labelWidth + 2)}${start}${endLabel.padStart(Math.max(endLabel.length + 1, width - start.length))}`);
  return lines;
}
