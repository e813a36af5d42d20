/**
 * Bounds a web config's text before the YAML parser sees it. The parser
 * recurses once per level of nesting and keeps a node per level: 1 MB of
 * `[[[…` cost 12 s and 600 MB before it gave up (issue 20), and a thousand
 * levels overflow its stack. A web config is a few hundred bytes to a few KiB
 * (a certificate chain and key inline) and three or four levels deep.
 */

/** Past this, a file is not a web config (a 4096-bit key and a chain of three certificates inline are about 10 KiB). yaml parses this much in 0.1-0.3 s whatever it holds. */
export const MAX_WEB_CONFIG_BYTES = 32 * 1024;

/** Levels of nesting at most, as counted by nestingUpperBound (a web config has 3). */
export const MAX_WEB_CONFIG_NESTING = 32;

const SPACE = 0x20;

/**
 * An upper bound of the text's nesting depth, in one linear pass without
 * parsing: every `[` and `{` seen so far (never taken back by a closing one,
 * which a quoted string could fake), plus the block levels of the line, from its
 * indentation and compact indicators (`- - x` is two sequences deep), the
 * line's own node one more. It may count too much (brackets inside quotes or a
 * block scalar, a level per line) but never too little; a scan stops as soon
 * as `limit` is passed.
 */
export function nestingUpperBound(text: string, limit = Infinity): number {
  let flowOpeners = 0;
  let deepest = 0;
  /** Columns of the open block levels, outermost first. */
  const columns: number[] = [];
  let lineStart = 0;
  while (lineStart < text.length && deepest <= limit) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let at = lineStart;
    while (at < lineEnd && text.charCodeAt(at) === SPACE) at++;
    const first = text[at];
    if (at < lineEnd && first !== '#' && first !== '\r') {
      let column = at - lineStart;
      while (columns.length > 0 && columns[columns.length - 1] >= column) columns.pop();
      columns.push(column);
      // Compact nesting: an indicator and a space, then the next level on the same line.
      while (at + 1 < lineEnd && (text[at] === '-' || text[at] === '?' || text[at] === ':') && text.charCodeAt(at + 1) === SPACE) {
        at++;
        while (at < lineEnd && text.charCodeAt(at) === SPACE) at++;
        column = at - lineStart;
        columns.push(column);
      }
    }
    for (let index = lineStart; index < lineEnd && columns.length + flowOpeners <= limit; index++) {
      const code = text.charCodeAt(index);
      if (code === 0x5b || code === 0x7b) flowOpeners++;
    }
    deepest = Math.max(deepest, columns.length + flowOpeners);
    lineStart = lineEnd + 1;
  }
  return deepest;
}

/** Why `text` is refused before parsing, or undefined when it is within bounds. */
export function outOfBounds(text: string): string | undefined {
  if (Buffer.byteLength(text) > MAX_WEB_CONFIG_BYTES) return `over ${MAX_WEB_CONFIG_BYTES} bytes, not a web config`;
  if (nestingUpperBound(text, MAX_WEB_CONFIG_NESTING) > MAX_WEB_CONFIG_NESTING) {
    return `nested deeper than ${MAX_WEB_CONFIG_NESTING} levels (counting each [, { and indentation), not a web config`;
  }
  return undefined;
}
