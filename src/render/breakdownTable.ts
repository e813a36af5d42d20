import type { BreakdownRow, BreakdownSection, CleanDirty, MappingUsage, ProcessBreakdown } from '../reduce/processBreakdown.js';
import { escapeText } from './escapeText.js';
import { displayWidth, drawWithin, fitName, shortenMiddle } from './fitWidth.js';
import { renderTextTable } from './textTable.js';
import { formatBytes, formatColumn, type Unit } from './units.js';

export interface ShowOptions {
  units: Unit;
  fancy: boolean;
  /** A terminal's width: rows fitted to it, names shortened in the middle. Undefined: whole. */
  width?: number;
}

const SECTION_TITLES = { mapped: 'Mapped memory', anonymous: 'Anonymous memory' };
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

/** Shorter words for the table where the breakdown's own label would push a row past 80 columns (--json keeps the label). */
const TABLE_LABELS: Record<string, string> = {
  'Shared memory (shm, memfd)': 'Shared memory, memfd',
};

function figuresOf(figures: CleanDirty): number[] {
  return [figures.sharedClean, figures.sharedDirty, figures.privateClean, figures.privateDirty];
}

/** A figure in a cell: its own unit (ps_mem's habit), or the number alone in a unit --units forced (named in the title). */
function cell(bytes: number, units: Unit): string {
  if (bytes === 0) return '0';
  return units === 'auto' ? formatBytes(bytes) : formatBytes(bytes, units, false);
}

/** The title line: which process this is, its name escaped. */
export function renderProcessTitle(pid: number, name: string, width?: number): string {
  const lead = `PID ${pid}: `;
  return `${lead}${fitName(name, width === undefined ? Infinity : Math.max(8, width - lead.length))}\n`;
}

/**
 * The reference article's table: permissions down the side, Shared/Private ×
 * Clean/Dirty across, mapped (file-backed) memory apart from anonymous memory,
 * each with its total, and the total whose bottom-right figure is the writable
 * memory. Plain aligned columns, as the article prints them: no box, the same
 * in a pipe as on a terminal (where only the titles are bold).
 */
export function renderBreakdown(breakdown: ProcessBreakdown, options: ShowOptions): string {
  const units = options.units;
  type Line = { side: string; figures: CleanDirty; note: string };
  const sections = [breakdown.mapped, breakdown.anonymous].map((part: BreakdownSection) => ({
    title: `${SECTION_TITLES[part.section]}${units === 'auto' ? '' : ` (${units})`}:`,
    lines: [
      ...part.rows.map((row: BreakdownRow): Line => ({ side: row.permissions, figures: row, note: TABLE_LABELS[row.label] ?? row.label })),
      { side: 'total', figures: part.total, note: '' },
    ],
  }));
  const all = [...sections.flatMap((section) => section.lines), { side: 'total', figures: breakdown.total, note: '' }];
  const cells = all.map((line) => figuresOf(line.figures).map((bytes) => cell(bytes, units)));
  // Every figure column as wide as the widest figure, so that the two halves line up under one another.
  const figureWidth = Math.max(5, ...cells.flat().map((text) => text.length));
  const sideWidth = Math.max(7, ...all.map((line) => line.side.length + 2));
  const span = 2 * figureWidth + 2;
  const centre = (text: string) => {
    const left = Math.max(0, Math.floor((span - text.length) / 2));
    return `${' '.repeat(left)}${text}`.padEnd(span);
  };
  const heading = [
    `${' '.repeat(sideWidth)}  ${centre('Shared')}  ${centre('Private')}`.trimEnd(),
    `${' '.repeat(sideWidth)}${['Clean', 'Dirty', 'Clean', 'Dirty'].map((word) => `  ${word.padStart(figureWidth)}`).join('')}`,
  ];
  const row = (side: string, texts: string[], note: string) => {
    const start = `${side.padStart(sideWidth)}${texts.map((text) => `  ${text.padStart(figureWidth)}`).join('')}`;
    if (note === '') return start;
    // On a terminal a note never pushes a row past its width; in a pipe it is whole.
    const room = options.width === undefined ? note.length : Math.max(0, options.width - displayWidth(start) - 2);
    const fitted = shortenMiddle(note, room);
    return fitted === '' ? start : `${start}  ${fitted}`;
  };
  const bold = (text: string) => (options.fancy ? `${BOLD}${text}${RESET}` : text);
  const out: string[] = [];
  let at = 0;
  for (const section of sections) {
    out.push(bold(section.title), ...heading);
    for (const line of section.lines) {
      out.push(row(line.side, cells[at], line.note));
      at++;
    }
  }
  out.push(row('total', cells[at], '<- writable memory'));
  return `${out.join('\n')}\nWritable memory (Private Dirty): ${formatBytes(breakdown.writable)}\n`;
}

/** `show --mappings`: which file or region costs what, by private dirty; on a terminal, paths shortened in the middle. */
export function renderMappingUsage(usage: readonly MappingUsage[], options: ShowOptions): string {
  const unitLabel = options.units === 'auto' ? '' : ` (${options.units})`;
  const longest = Math.max(0, ...usage.map((entry) => displayWidth(escapeText(entry.name.length > 4096 ? entry.name.slice(0, 4096) : entry.name))));
  // One unit per cell in auto (ps_mem's habit); the unit forced by --units is in the header.
  const columns = [0, 1, 2, 3].map((column) => formatColumn(usage.map((entry) => figuresOf(entry)[column]), options.units, options.units !== 'auto'));
  return drawWithin(options.width, longest, (nameWidth) => {
    // Shared/Private over Clean/Dirty, as in show's table: two header rows keep the figure columns narrow.
    const rows: string[][] = [
      ['Shared', 'Shared', 'Private', 'Private', '', ''],
      [...['Clean', 'Dirty', 'Clean', 'Dirty'].map((word) => word + unitLabel), 'Maps', 'Backing'],
    ];
    usage.forEach((entry, index) => rows.push([...columns.map((column) => column[index]), String(entry.mappings), fitName(entry.name, nameWidth)]));
    return renderTextTable(rows, {
      fancy: options.fancy,
      align: ['right', 'right', 'right', 'right', 'right', 'left'],
      rulesAfter: [],
      headerRows: 2,
    });
  });
}
