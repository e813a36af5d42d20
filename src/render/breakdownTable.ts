import type { BreakdownSection, CleanDirty, MappingUsage, ProcessBreakdown } from '../reduce/processBreakdown.js';
import { escapeText } from './escapeText.js';
import { renderTextTable } from './textTable.js';
import { formatBytes, type Unit } from './units.js';

export interface ShowOptions {
  units: Unit;
  fancy: boolean;
}

const COLUMNS = ['Shared Clean', 'Shared Dirty', 'Private Clean', 'Private Dirty'];
const SECTION_TITLES = { mapped: 'Mapped memory (files)', anonymous: 'Anonymous memory' };

function cells(figures: CleanDirty, units: Unit): string[] {
  return [figures.sharedClean, figures.sharedDirty, figures.privateClean, figures.privateDirty]
    .map((bytes) => formatBytes(bytes, units, units === 'auto'));
}

/** The title line: which process this is, its name escaped. */
export function renderProcessTitle(pid: number, name: string): string {
  return `PID ${pid}: ${escapeText(name)}\n`;
}

/** The reference article's table, mapped vs anonymous by permission, with the writable figure called out. */
export function renderBreakdown(breakdown: ProcessBreakdown, options: ShowOptions): string {
  const unitLabel = options.units === 'auto' ? '' : options.units;
  const rows: string[][] = [[unitLabel, ...COLUMNS, '']];
  const rules: number[] = [];
  const section = (part: BreakdownSection) => {
    rows.push([`${SECTION_TITLES[part.section]}:`, '', '', '', '', '']);
    for (const row of part.rows) rows.push([`  ${row.permissions}`, ...cells(row, options.units), row.label === '' ? '' : `-- ${row.label}`]);
    rows.push(['  total', ...cells(part.total, options.units), '']);
    rules.push(rows.length - 1);
  };
  section(breakdown.mapped);
  section(breakdown.anonymous);
  rows.push(['total', ...cells(breakdown.total, options.units), '<- Private Dirty: writable memory']);
  const table = renderTextTable(rows, {
    fancy: options.fancy,
    align: ['left', 'right', 'right', 'right', 'right', 'left'],
    rulesAfter: rules,
  });
  return `${table}Writable memory (Private Dirty): ${formatBytes(breakdown.writable)}\n`;
}

/** `show --mappings`: which file or region costs what, by private dirty. */
export function renderMappingUsage(usage: readonly MappingUsage[], options: ShowOptions): string {
  const unitLabel = options.units === 'auto' ? '' : ` (${options.units})`;
  const rows: string[][] = [[...COLUMNS.map((c) => c + unitLabel), 'Maps', 'Backing']];
  for (const entry of usage) rows.push([...cells(entry, options.units), String(entry.mappings), escapeText(entry.name)]);
  return renderTextTable(rows, {
    fancy: options.fancy,
    align: ['right', 'right', 'right', 'right', 'right', 'left'],
    rulesAfter: [],
  });
}
