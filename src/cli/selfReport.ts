import { liveReader } from '../kernel/liveMountinfo.js';
import { writeStderr } from './output.js';

/**
 * FOOTPRINT_SELF_REPORT=1 (hidden, for bench/run.mjs): after the scan, print
 * footprint's own memory to stderr from its /proc/self/smaps_rollup and status.
 * Loaded only when the variable is set, so a normal run never pays for it.
 */
export function writeSelfReport(stage: string): void {
  const field = (text: string, key: string): string => new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? '?';
  // Not Linux, or no smaps_rollup: report what there is.
  const reader = liveReader();
  const read = (relative: string): string => {
    const text = reader.read(relative);
    return text.ok ? text.text : '';
  };
  const rollup = read('self/smaps_rollup');
  const status = read('self/status');
  const figures = ['Rss', 'Pss', 'Private_Clean', 'Private_Dirty'].map((key) => `${key}=${field(rollup, key)} kB`);
  figures.push(`VmHWM=${field(status, 'VmHWM')} kB`);
  writeStderr(`footprint self-report ${stage}: ${figures.join(' ')}\n`);
}
