import type { WatchSample } from '../model/watch.js';
import type { WatchStep, WatchSummary } from '../reduce/watchSeries.js';
import { escapeText } from './escapeText.js';
import { formatMs } from './runSummary.js';
import { formatByteChange, formatBytes, type Unit } from './units.js';
import { wrapLines } from './fitWidth.js';

const WIDTHS = [8, 11, 12, 12, 14];

/** HH:MM:SS, local time: a watch is read as it runs; with `fractionDigits`, HH:MM:SS.f to HH:MM:SS.fff (cut, not rounded, as a clock is read). */
export function clockTime(date: Date, fractionDigits: 0 | 1 | 2 | 3 = 0): string {
  const seconds = date.toTimeString().slice(0, 8);
  return fractionDigits === 0 ? seconds : `${seconds}.${String(date.getMilliseconds()).padStart(3, '0').slice(0, fractionDigits)}`;
}

/**
 * The digits of a second that tell one line from the next: none at an interval of a second or more, then as
 * many as the interval needs (two lines 200 ms apart differ in their tenths, 50 ms apart in their hundredths).
 */
export function timeDigits(intervalMs: number): 0 | 1 | 2 | 3 {
  if (intervalMs >= 1000) return 0;
  if (intervalMs >= 100) return 1;
  return intervalMs >= 10 ? 2 : 3;
}

/** The time column's width for an interval: HH:MM:SS, and its fraction. */
const timeWidth = (intervalMs: number) => {
  const digits = timeDigits(intervalMs);
  return Math.max(WIDTHS[0], 8 + (digits === 0 ? 0 : digits + 1));
};

/** The title (wrapped at words on a terminal, `width`: a program's name may be long) and the columns' heading. */
export function renderWatchHeader(target: string, intervalMs: number, width?: number): string {
  const title = wrapLines(`Watching ${escapeText(target)} every ${formatMs(intervalMs)}; Ctrl-C ends it with a summary`, width);
  const columns = ['Time', 'Writable', 'Change', 'Since start', 'Rate'].map((name, index) => (index === 0 ? name.padEnd(timeWidth(intervalMs)) : name.padStart(WIDTHS[index])));
  return `${title}\n${columns.join('  ')}  Processes\n`;
}

/**
 * One line per sample: the time (to the fraction of a second that tells lines `intervalMs` apart), writable
 * memory, its change since the last line and since the start, the rate since the start.
 */
export function renderWatchLine(sample: WatchSample, step: WatchStep, time: Date, units: Unit, intervalMs: number): string {
  // The first line has nothing to take a rate over: blank, as the README shows it.
  const rate = step.elapsedMs > 0 ? `${formatByteChange(Math.round(step.sinceStart / (step.elapsedMs / 3_600_000)), units)}/h` : '';
  const cells = [
    clockTime(time, timeDigits(intervalMs)).padEnd(timeWidth(intervalMs)),
    formatBytes(sample.writable, units).padStart(WIDTHS[1]),
    formatByteChange(step.change, units).padStart(WIDTHS[2]),
    formatByteChange(step.sinceStart, units).padStart(WIDTHS[3]),
    rate.padStart(WIDTHS[4]),
  ];
  const note = step.restart ? '  (restarted: all processes new)' : '';
  return `${cells.join('  ')}  ${sample.processes}${note}\n`;
}

const ENDINGS: Record<WatchSummary['endedBy'], string> = {
  duration: 'at the end of --duration', count: 'after --count samples', interrupted: 'by a signal', exited: 'because the process exited',
};

export function renderWatchSummary(summary: WatchSummary, target: string, units: Unit, width?: number): string {
  const fmt = (bytes: number) => formatBytes(bytes, units);
  const { trend } = summary;
  const lines = [
    `Watched ${escapeText(target)} for ${formatMs(summary.durationMs)}, ${summary.samples} sample${summary.samples === 1 ? '' : 's'}; ended ${ENDINGS[summary.endedBy]}`
      + (summary.restarts > 0 ? `; ${summary.restarts} restart${summary.restarts === 1 ? '' : 's'}` : ''),
    `  Writable: ${fmt(summary.first.writable)} at the start, ${fmt(summary.last.writable)} at the end (${formatByteChange(summary.last.writable - summary.first.writable, units)}); `
      + `lowest ${fmt(summary.lowest)}, highest ${fmt(summary.highest)}`,
  ];
  let verdict = `  Trend: ${trend.verdict}`;
  if (trend.verdict === 'too-short') verdict += ' (fewer than 20 samples to judge by)';
  else verdict += `, ${formatByteChange(trend.bytesPerHour, units)}/h (r² ${trend.r2.toFixed(2)}, on the lowest point of each slice of time)`;
  if (summary.memAvailableLastsHours !== undefined) {
    verdict += `; MemAvailable (${fmt(summary.memAvailable ?? 0)}) lasts ${formatHours(summary.memAvailableLastsHours)} at that rate`;
  }
  lines.push(verdict);
  // On a terminal (`width`) nothing wraps mid-word.
  return `${wrapLines(lines.join('\n'), width, '  ')}\n`;
}

function formatHours(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}
