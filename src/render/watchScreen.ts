import type { ProgramGroup } from '../model/report.js';
import { escapeText } from './escapeText.js';
import { renderTextTable } from './textTable.js';
import { formatByteChange, formatBytes, type Unit } from './units.js';

/**
 * The ranked report as `watch` redraws it: a column for each group's change of
 * writable memory since the watch first saw it, cut to the rows that fit.
 */
export function renderWatchScreen(
  groups: readonly ProgramGroup[], baseline: ReadonlyMap<string, number>,
  options: { units: Unit; rows: number; title: string; footer: string },
): string {
  const fit = Math.max(1, options.rows - 5);
  const rows: string[][] = [['Writable', 'Since start', 'Private', 'Shared', 'RAM used', 'Program']];
  for (const group of groups.slice(0, fit)) {
    const since = group.writable - (baseline.get(group.name) ?? group.writable);
    rows.push([
      formatBytes(group.writable, options.units), formatByteChange(since, options.units), formatBytes(group.private, options.units),
      formatBytes(group.shared, options.units), formatBytes(group.ram, options.units), `${escapeText(group.name)} (${group.count})`,
    ]);
  }
  const table = renderTextTable(rows, { fancy: false, align: ['right', 'right', 'right', 'right', 'right', 'left'], rulesAfter: [0] });
  return `${options.title}\n${table}${options.footer}\n`;
}
