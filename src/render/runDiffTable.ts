import type { RunDiff } from '../reduce/diffRuns.js';
import { formatMs } from './runSummary.js';
import { renderTextTable } from './textTable.js';
import { formatByteChange, formatBytes, type Unit } from './units.js';

const signed = (value: number, format: (n: number) => string) => (value > 0 ? `+${format(value)}` : value < 0 ? `-${format(-value)}` : format(0));

/** Before and after, a row per figure: old, new and the change. */
export function renderRunDiffTable(diff: RunDiff, options: { units: Unit; fancy: boolean }): string {
  const bytes = (n: number) => formatBytes(n, options.units);
  const count = (n: number) => String(n);
  const rows = [
    ['', 'Old', 'New', 'Change'],
    ['Peak writable', bytes(diff.peakWritable.old), bytes(diff.peakWritable.new), formatByteChange(diff.peakWritable.change, options.units)],
    ['Writable at end', bytes(diff.endWritable.old), bytes(diff.endWritable.new), formatByteChange(diff.endWritable.change, options.units)],
    ['Minor faults', count(diff.minorFaults.old), count(diff.minorFaults.new), signed(diff.minorFaults.change, count)],
    ['Major faults', count(diff.majorFaults.old), count(diff.majorFaults.new), signed(diff.majorFaults.change, count)],
    ['Wall time', formatMs(diff.wallMs.old), formatMs(diff.wallMs.new), signed(diff.wallMs.change, formatMs)],
  ];
  return renderTextTable(rows, { fancy: options.fancy, align: ['left', 'right', 'right', 'right'], rulesAfter: [0] });
}
