import { isDeepStrictEqual } from 'node:util';
import { readRollup } from './procRead.js';

/**
 * Runs `measure` between two independent reads of the PIDs' smaps_rollup and
 * returns both only when the kernel's figures did not move in between. Our
 * processes are paused, but Pss of a page shared with the rest of the machine
 * (the vDSO, a library) moves whenever another process maps or unmaps it, and
 * other tests run beside these: retry until one measurement sits still.
 */
export function whileStable<T>(pids: readonly number[], measure: () => T, attempts = 8): { rollups: Record<string, number>[]; result: T } {
  for (let i = 0; i < attempts; i++) {
    const before = pids.map(readRollup);
    const result = measure();
    const after = pids.map(readRollup);
    if (isDeepStrictEqual(before, after)) return { rollups: before, result };
  }
  throw new Error(`smaps_rollup of ${pids.join(',')} kept moving over ${attempts} attempts`);
}
