/**
 * What JSON.parse of a document would cost, estimated from its bytes before
 * it is parsed. Under the size cap a crafted file can still hold millions of
 * values (`{},{},…`: 5 million objects in 15 MB) whose parse needs 20 times
 * its size in heap; a thread rebuilding the history index (48 MB of heap)
 * runs out, which fails `history` (2.3 million objects), or Node aborts the
 * whole process, not only the thread (5 million). So a large text is
 * counted first: objects and arrays at ~56 bytes of heap each, other values
 * (one per comma) at up to 24 (a double and its slot), plus the string itself,
 * and refused past HEAP_BUDGET_BYTES. Brackets and commas inside strings count
 * too, which only errs on the safe side. Pure.
 *
 * Calibrated on real reports: 1,314 processes grouped by PID is 62.5 bytes of
 * text per object or array and 15.6 per comma; at the 8 MiB cap such a report
 * is estimated at 28 MB, under the budget; the worst accepted crafted text
 * parses in under 45 MB.
 */
const CONTAINER_HEAP_BYTES = 56;
const VALUE_HEAP_BYTES = 24;
export const HEAP_BUDGET_BYTES = 32 * 1024 * 1024;
/** Below this, even the densest JSON fits the budget: not worth counting. */
const COUNT_ABOVE_BYTES = 1024 * 1024;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const COMMA = 0x2c;

/** Why `text` (UTF-8 JSON) is too costly to parse, or undefined. */
export function jsonBudgetProblem(text: Uint8Array): string | undefined {
  if (text.length <= COUNT_ABOVE_BYTES) return undefined;
  let containers = 0;
  let values = 0;
  for (let index = 0; index < text.length; index++) {
    const byte = text[index];
    if (byte === COMMA) values++;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) containers++;
  }
  const estimate = containers * CONTAINER_HEAP_BYTES + values * VALUE_HEAP_BYTES + text.length;
  if (estimate <= HEAP_BUDGET_BYTES) return undefined;
  return `too many JSON values for a report (${containers} objects and arrays, ${values + 1} values), more than footprint parses`;
}
