/**
 * Text fitted to a terminal's width: a long name shortened in its middle (both
 * ends tell most: a command and its last argument), a long line wrapped at word
 * boundaries with a hanging indent. Widths are terminal columns: the text is
 * already escaped (escapeText), so nothing in it moves the cursor; East Asian
 * wide characters take two columns, combining marks none.
 */
import { escapeText } from './escapeText.js';

export const ELLIPSIS = '…';

/** The columns one code point takes on a terminal: 0, 1 or 2 (wcwidth's rule, for the common ranges). */
function charWidth(code: number): number {
  if (code < 0x300) return 1;
  if ((code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f) || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  if (code < 0x1100) return 1;
  if ((code <= 0x115f)
    || (code >= 0x2e80 && code <= 0x303e) || (code >= 0x3041 && code <= 0x33ff) || (code >= 0x3400 && code <= 0x4dbf)
    || (code >= 0x4e00 && code <= 0x9fff) || (code >= 0xa000 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3)
    || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60)
    || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1f64f) || (code >= 0x1f900 && code <= 0x1f9ff)
    || (code >= 0x20000 && code <= 0x3fffd)) return 2;
  return 1;
}

/** The columns `text` takes on a terminal (no escape sequences in it). */
export function displayWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x300) {
      width++;
      continue;
    }
    const point = text.codePointAt(i)!;
    if (point > 0xffff) i++;
    width += charWidth(point);
  }
  return width;
}

/** The longest start of `chars` that takes at most `width` columns. */
function headWithin(chars: readonly string[], width: number): string {
  let used = 0;
  let end = 0;
  while (end < chars.length) {
    const next = charWidth(chars[end].codePointAt(0)!);
    if (used + next > width) break;
    used += next;
    end++;
  }
  return chars.slice(0, end).join('');
}

/** The longest end of `chars` that takes at most `width` columns. */
function tailWithin(chars: readonly string[], width: number): string {
  let used = 0;
  let start = chars.length;
  while (start > 0) {
    const next = charWidth(chars[start - 1].codePointAt(0)!);
    if (used + next > width) break;
    used += next;
    start--;
  }
  return chars.slice(start).join('');
}

/** `text` in at most `width` columns: the start, an ellipsis, the end. */
export function shortenMiddle(text: string, width: number): string {
  if (!Number.isFinite(width) || displayWidth(text) <= width) return text;
  if (width <= 1) return ELLIPSIS.slice(0, Math.max(0, width));
  const keep = width - 1;
  const headWidth = Math.ceil(keep / 2);
  // Only the ends are looked at: a megabyte of command line costs no more than its first and last columns.
  const head = headWithin([...text.slice(0, 2 * headWidth + 2)], headWidth);
  const tail = tailWithin([...text.slice(-(2 * (keep - headWidth) + 2))], keep - headWidth);
  return `${head}${ELLIPSIS}${tail}`;
}

/**
 * A name a process chose (a command line may be a megabyte), made safe for the
 * terminal (escapeText) and shortened in its middle to `width` columns. Each
 * character escapes to at least one, so only both ends are escaped: the cost
 * follows the width, not the name.
 */
export function fitName(raw: string, width = Infinity): string {
  if (!Number.isFinite(width) || raw.length <= 2 * width + 8) return shortenMiddle(escapeText(raw), width);
  const room = Math.max(0, Math.floor(width)) + 4;
  const head = escapeText(raw.slice(0, room));
  const tail = escapeText(raw.slice(-room));
  // Both ends are wider than the width: the middle is cut whatever it held.
  return shortenMiddle(`${head}${tail}`, width);
}

/**
 * One line as lines of at most `width` columns, broken at spaces; the
 * lines after the first start with `indent`. A word longer than a line is cut.
 */
export function wrapWords(line: string, width: number, indent = '  '): string[] {
  if (displayWidth(line) <= width) return [line];
  const lead = /^ */.exec(line)![0];
  // Each word with the spaces after it, so that a line keeps its inner spacing ("MiB  anonymous").
  const chunks = [...line.slice(lead.length).matchAll(/\S+ */g)].map((match) => match[0]);
  const lines: string[] = [];
  let current = lead;
  let empty = true;
  for (const chunk of chunks) {
    const word = chunk.trimEnd();
    if (!empty && displayWidth(current.trimEnd()) + 1 + displayWidth(word) > width + (displayWidth(current) - displayWidth(current.trimEnd()) - 1)) {
      lines.push(current.trimEnd());
      current = indent;
      empty = true;
    }
    if (empty && displayWidth(current) + displayWidth(word) > width) {
      // A word longer than a line: cut it.
      let rest = [...word];
      while (displayWidth(current) + displayWidth(rest.join('')) > width) {
        const room = Math.max(1, width - displayWidth(current));
        const piece = headWithin(rest, room) || rest[0];
        lines.push(`${current}${piece}`);
        rest = rest.slice([...piece].length);
        current = indent;
      }
      current += rest.join('') + chunk.slice(word.length);
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
  let widest = 0;
  for (const line of text.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) widest = Math.max(widest, displayWidth(line));
  return widest;
}

/**
 * A table drawn whole, or, where it is wider than `width`, drawn again with its
 * names shortened (to at least `least`) by what it was too wide, until it fits:
 * `draw` takes the names' width; `longestName` is the widest name. A name's row
 * may carry more than the name (a count, a mark), so the widest row is not
 * always the longest name's: each pass takes off what is still too wide.
 * Undefined width: whole.
 */
export function drawWithin(width: number | undefined, longestName: number, draw: (nameWidth: number) => string, least = 8): string {
  // On a terminal no name is wider than the terminal: drawn with that bound first, a long name costs nothing.
  let table = draw(width === undefined ? Infinity : width);
  if (width === undefined) return table;
  let nameWidth = Math.min(longestName, width);
  for (let pass = 0, excess = widestLine(table) - width; excess > 0 && nameWidth > least && pass < 8; pass++, excess = widestLine(table) - width) {
    nameWidth = Math.max(least, nameWidth - excess);
    table = draw(nameWidth);
  }
  return table;
}
