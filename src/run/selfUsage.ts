import { parseStatUsage, type StatUsage } from '../kernel/procfs/stat.js';
import type { ProcReader } from '../kernel/procReader.js';

/** /proc's clock ticks are USER_HZ, 100 per second on every Linux. */
export const MS_PER_TICK = 10;

/** footprint's own /proc/self/stat: its reaped children's faults and times, its terminal's process group. */
export function readSelfStat(reader: ProcReader): string {
  const text = reader.read('self/stat');
  if (!text.ok) throw new Error(`cannot read ${reader.path('self/stat')}: ${text.reason}`);
  return text.text;
}

/** The kernel's accounting of footprint's reaped children (fields 10-17), read before CMD and after it. */
export function readSelfUsage(reader: ProcReader): StatUsage {
  const usage = parseStatUsage(readSelfStat(reader));
  if (!usage.ok) throw new Error(`${reader.path('self/stat')}: ${usage.error.reason}`);
  return usage.value;
}
