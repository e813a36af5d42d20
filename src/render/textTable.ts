import { displayWidth } from './fitWidth.js';

export interface TextTableOptions {
  /** A bold header (a terminal without NO_COLOR); the columns and lines are the same either way. */
  fancy: boolean;
  /** Alignment per column. */
  align: ('left' | 'right')[];
  /** Row indexes (in `rows`, header = 0) after which to draw a rule. */
  rulesAfter: number[];
  /** How many rows at the top are the header (two: a word over a pair of columns, as show's Shared/Private). */
  headerRows?: number;
}

const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';
/** Between two columns. */
const GAP = '  ';

/**
 * One table layout for every text report: ps_mem's plain aligned columns, two
 * spaces apart, with a rule where asked. No box: a box costs four columns and
 * more, and a terminal gets the same columns and lines as a pipe (only the
 * header is bold, and rules are drawn with box-drawing dashes). Cells must already be escaped. Drawn in one pass
 * over the cells, so that 5,000 rows or a megabyte of name cost what they hold.
 */
export function renderTextTable(rows: string[][], options: TextTableOptions): string {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widthsOf = rows.map((row) => row.map(displayWidth));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(0, ...widthsOf.map((cells) => cells[column] ?? 0)));
  const lines = rows.map((row, index) => {
    let line = '';
    for (let column = 0; column < columns; column++) {
      const cell = row[column] ?? '';
      const pad = ' '.repeat(widths[column] - (widthsOf[index][column] ?? 0));
      const text = options.align[column] === 'right' ? `${pad}${cell}` : `${cell}${pad}`;
      line += column === 0 ? text : `${GAP}${text}`;
    }
    return line.trimEnd();
  });
  const ruleWidth = Math.max(0, ...lines.map(displayWidth));
  const rule = (options.fancy ? '─' : '-').repeat(ruleWidth);
  const headerRows = options.headerRows ?? 1;
  const rules = new Set(options.rulesAfter);
  const out: string[] = [];
  lines.forEach((line, index) => {
    out.push(index < headerRows && options.fancy ? `${BOLD}${line}${RESET}` : line);
    if (rules.has(index) && index < lines.length - 1) out.push(rule);
  });
  return `${out.join('\n')}\n`;
}
