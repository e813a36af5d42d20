import { getBorderCharacters, table, type TableUserConfig } from 'table';

export interface TextTableOptions {
  /** Box-drawing borders and a bold header (a terminal without NO_COLOR). */
  fancy: boolean;
  /** Alignment per column. */
  align: ('left' | 'right')[];
  /** Row indexes (in `rows`, header = 0) after which to draw a rule. */
  rulesAfter: number[];
}

const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

/**
 * One table layout for every text report: ps_mem's plain columns with a dashed
 * rule when piped, box-drawing in a terminal. Cells must already be escaped.
 */
export function renderTextTable(rows: string[][], options: TextTableOptions): string {
  const rules = new Set(options.rulesAfter.map((index) => index + 1));
  const config: TableUserConfig = {
    border: options.fancy
      ? getBorderCharacters('norc')
      : { ...getBorderCharacters('void'), joinBody: '-', joinJoin: '-', joinLeft: '', joinRight: '' },
    columns: options.align.map((alignment, index) => ({
      alignment,
      paddingLeft: index === 0 && !options.fancy ? 0 : 1,
      paddingRight: index === options.align.length - 1 && !options.fancy ? 0 : 1,
    })),
    drawHorizontalLine: (index, size) => (options.fancy && (index === 0 || index === 1 || index === size)) || rules.has(index),
  };
  const header = options.fancy ? rows[0].map((cell) => `${BOLD}${cell}${RESET}`) : rows[0];
  const text = table([header, ...rows.slice(1)], config);
  // `table` pads the last column; trailing blanks are noise in a pipe.
  return options.fancy ? text : text.replace(/ +$/gm, '');
}
