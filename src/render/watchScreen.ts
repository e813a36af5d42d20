import type { ProgramGroup } from '../model/report.js';
import { escapeText } from './escapeText.js';
import { renderTextTable } from './textTable.js';
import { formatColumn, type Unit } from './units.js';

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
  const shown = groups.slice(0, fit);
  const since = shown.map((group) => group.writable - (baseline.get(group.name) ?? group.writable));
  // One unit per column; the change keeps its sign.
  const [writable, privates, shared, ram] = (['writable', 'private', 'shared', 'ram'] as const).map((key) => formatColumn(shown.map((group) => group[key]), options.units));
  const changes = formatColumn(since.map(Math.abs), options.units).map((text, index) => (since[index] > 0 ? `+${text}` : since[index] < 0 ? `-${text}` : text));
  shown.forEach((group, index) => {
    rows.push([writable[index], changes[index], privates[index], shared[index], ram[index], `${escapeText(group.name)} (${group.count})`]);
  });
  const table = renderTextTable(rows, { fancy: false, align: ['right', 'right', 'right', 'right', 'right', 'left'], rulesAfter: [0] });
  return `${options.title}\n${table}${options.footer}\n`;
}
