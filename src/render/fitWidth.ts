/**
 * Text fitted to a terminal's width: a long name shortened in its middle (both
 * ends tell most: a command and its last argument), a long line wrapped at word
 * boundaries with a hanging indent. Widths count code points: the text is
 * already escaped (escapeText), so nothing in it moves the cursor.
 */

export const ELLIPSIS = '…';

function length(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** `text` in at most `width` characters: the start, an ellipsis, the end. */
export function shortenMiddle(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return ELLIPSIS.slice(0, Math.max(0, width));
  const keep = width - 1;
  const head = Math.ceil(keep / 2);
  return `${chars.slice(0, head).join('')}${ELLIPSIS}${chars.slice(chars.length - (keep - head)).join('')}`;
}

/**
 * One line as lines of at most `width` characters, broken at spaces; the
 * lines after the first start with `indent`. A word longer than a line is cut.
 */
export function wrapWords(line: string, width: number, indent = '  '): string[] {
  if (length(line) <= width) return [line];
  const lead = /^ */.exec(line)![0];
  // Each word with the spaces after it, so that a line keeps its inner spacing ("MiB  anonymous").
  const chunks = [...line.slice(lead.length).matchAll(/\S+ */g)].map((match) => match[0]);
  const lines: string[] = [];
  let current = lead;
  let empty = true;
  for (const chunk of chunks) {
    const word = chunk.trimEnd();
    if (!empty && length(current.trimEnd()) + 1 + length(word) > width + (length(current) - length(current.trimEnd()) - 1)) {
      lines.push(current.trimEnd());
      current = indent;
      empty = true;
    }
    if (empty && length(current) + length(word) > width) {
      // A word longer than a line: cut it.
      let rest = word;
      while (length(current) + length(rest) > width) {
        const room = Math.max(1, width - length(current));
        lines.push(`${current}${[...rest].slice(0, room).join('')}`);
        rest = [...rest].slice(room).join('');
        current = indent;
      }
      current += chunk.slice(word.length - rest.length === 0 ? 0 : 0, 0) + rest + chunk.slice(word.length);
      empty = false;
      continue;
    }
    current += chunk;
    empty = false;
  }
  if (current.trim() !== '') lines.push(current.trimEnd());
  return lines;
}

/** Every line of `text` wrapped to `width`; undefined width: as it is. */
export function wrapLines(text: string, width: number | undefined, indent = '  '): string {
  if (width === undefined) return text;
  return text.split('\n').map((line) => wrapWords(line, width, `${/^ */.exec(line)![0]}${indent}`).join('\n')).join('\n');
}

/** The widest line's width, colour codes not counted. */
export function widestLine(text: string): number {
  return Math.max(...text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map(length));
}

/**
 * A table drawn whole, or, where it is wider than `width`, drawn again with its
 * names shortened (to at least 8) by what it was too wide: `draw` takes the
 * names' width; `longestName` is the widest name. Undefined width: whole.
 */
export function drawWithin(width: number | undefined, longestName: number, draw: (nameWidth: number) => string): string {
  const whole = draw(Infinity);
  if (width === undefined) return whole;
  const excess = widestLine(whole) - width;
  return excess <= 0 ? whole : draw(Math.max(8, longestName - excess));
}
