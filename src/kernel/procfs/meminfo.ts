import { parsed, parseFailure, type Parsed } from './parseResult.js';
import { boundedCount } from './memoryCounters.js';

/** /proc/meminfo in bytes, keyed by the kernel's own names (MemTotal, Shmem, SUnreclaim, ...). */
export type Meminfo = Record<string, number>;

export function parseMeminfo(text: string): Parsed<Meminfo> {
  const meminfo: Meminfo = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const match = /^([A-Za-z0-9_()]+):\s+(\d+)(?: kB)?$/.exec(line);
    if (match === null) return parseFailure('meminfo', i + 1, line, 'expected "Key: N kB"');
    const value = boundedCount(match[2], line.endsWith(' kB') ? 1024 : 1);
    if (value === undefined) return parseFailure('meminfo', i + 1, line, `value of ${match[1]} is past what any machine holds`);
    meminfo[match[1]] = value;
  }
  if (meminfo.MemTotal === undefined) return parseFailure('meminfo', 1, lines[0] ?? '', 'no MemTotal');
  return parsed(meminfo);
}
