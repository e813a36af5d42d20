import { counterValueInPlace, emptyCounters, KNOWN_FIELDS, storeCounter, takeCounterLine, type MemoryCounters } from './memoryCounters.js';
import { isMappingHeader } from './smaps.js';
import { parsed, parseFailure, type Parsed } from './parseResult.js';

/**
 * The lines every smaps_rollup has had since Linux 4.14 and that footprint's
 * figures are made of: a rollup without one of them (or empty: a kernel thread
 * or an exited process fails the read with ESRCH instead) is malformed, never
 * zeros.
 */
const REQUIRED_KEYS = ['Rss', 'Pss', 'Shared_Clean', 'Shared_Dirty', 'Private_Clean', 'Private_Dirty', 'Private_Hugetlb', 'Anonymous', 'Swap'] as const;
const REQUIRED_FIELDS = REQUIRED_KEYS.map((key) => KNOWN_FIELDS[key]);

/**
 * Parses /proc/PID/smaps_rollup (Linux 4.14+): one pseudo-mapping header
 * `[rollup]` followed by the counters of every mapping summed by the kernel.
 */
export function parseSmapsRollup(text: string): Parsed<MemoryCounters> {
  const counters = emptyCounters();
  // -1 (never a parsed value) marks a required line not yet read; the shape stays emptyCounters'.
  for (let index = 0; index < REQUIRED_FIELDS.length; index++) counters[REQUIRED_FIELDS[index]] = -1;
  // Line by line in place: a line's text is made only where it is a header or does not read as a plain counter.
  let lineNumber = 0;
  for (let start = 0; start <= text.length; lineNumber++) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const next = end + 1;
    if (end === start) {
      start = next;
      continue;
    }
    if (lineNumber === 0 && text.charCodeAt(start) !== 82 /* R: no counter line starts so but Rss */ && isMappingHeader(text.slice(start, end))) {
      start = next;
      continue;
    }
    const colon = text.indexOf(':', start);
    const value = colon > start && colon < end ? counterValueInPlace(text, colon, end) : -1;
    if (value >= 0) storeCounter(counters, text.slice(start, colon), value);
    else {
      const line = text.slice(start, end);
      const reason = takeCounterLine(line, counters);
      if (reason !== undefined) return parseFailure('smaps_rollup', lineNumber + 1, line, reason);
    }
    start = next;
  }
  for (let index = 0; index < REQUIRED_FIELDS.length; index++) {
    if ((counters[REQUIRED_FIELDS[index]] ?? -1) < 0) return parseFailure('smaps_rollup', lineNumber, '', `no ${REQUIRED_KEYS[index]} line`);
  }
  return parsed(counters);
}
