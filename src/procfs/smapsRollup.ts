import { emptyCounters, takeCounterLine, type MemoryCounters } from './memoryCounters.js';
import { isMappingHeader } from './smaps.js';
import { parsed, parseFailure, type Parsed } from './parseResult.js';

/**
 * Parses /proc/PID/smaps_rollup (Linux 4.14+): one pseudo-mapping header
 * `[rollup]` followed by the counters of every mapping summed by the kernel.
 * Empty text (a kernel thread) is all zeros.
 */
export function parseSmapsRollup(text: string): Parsed<MemoryCounters> {
  const counters = emptyCounters();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    if (i === 0 && isMappingHeader(line)) continue;
    const reason = takeCounterLine(line, counters);
    if (reason !== undefined) return parseFailure('smaps_rollup', i + 1, line, reason);
  }
  return parsed(counters);
}
