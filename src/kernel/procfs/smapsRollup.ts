import { emptyCounters, KNOWN_FIELDS, takeCounterLine, type MemoryCounters } from './memoryCounters.js';
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
  for (const field of REQUIRED_FIELDS) counters[field] = -1;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    if (i === 0 && isMappingHeader(line)) continue;
    const reason = takeCounterLine(line, counters);
    if (reason !== undefined) return parseFailure('smaps_rollup', i + 1, line, reason);
  }
  const missing = REQUIRED_FIELDS.findIndex((field) => (counters[field] ?? -1) < 0);
  if (missing >= 0) return parseFailure('smaps_rollup', lines.length, '', `no ${REQUIRED_KEYS[missing]} line`);
  return parsed(counters);
}
