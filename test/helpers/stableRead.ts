import { isDeepStrictEqual } from 'node:util';
import { readRollup } from './procRead.js';

/**
 * Runs `measure` between two independent reads of the PIDs' smaps_rollup and
 * returns both only when the kernel's figures did not move in between. Our
 * processes are paused, but Pss of a page shared with the rest of the machine
 * (the vDSO, a library, the memhog binary) moves whenever another process maps
 * or unmaps it, and other tests run beside these: retry until one measurement
 * sits still.
 *
 * Equal reads before and after do not prove that nothing moved during
 * `measure` (a process that mapped libc and exited in between moves Pss and
 * puts it back). `agrees` is the check that the measurement saw the same
 * moment as the reads: an attempt where it fails is retried, and if none
 * agrees the last still one is returned, so the test's own assertions fail
 * with the difference to look at. A wrong figure agrees on no attempt.
 */
export function whileStable<T>(
  pids: readonly number[],
  measure: () => T,
  agrees: (result: NoInfer<T>, rollups: Record<string, number>[]) => boolean = () => true,
  attempts = 12,
): { rollups: Record<string, number>[]; result: T } {
  let lastStill: { rollups: Record<string, number>[]; result: T } | undefined;
  for (let i = 0; i < attempts; i++) {
    const before = pids.map((pid) => readRollup(pid));
    const result = measure();
    const after = pids.map((pid) => readRollup(pid));
    if (!isDeepStrictEqual(before, after)) continue;
    lastStill = { rollups: before, result };
    if (agrees(result, before)) return lastStill;
  }
  if (lastStill) return lastStill;
  throw new Error(`smaps_rollup of ${pids.join(',')} kept moving over ${attempts} attempts`);
}

/** For a report of these PIDs: its Pss total is the rollups' (the one figure other processes move). */
export function reportPssAgrees(report: { totals: Record<string, number> }, rollups: Record<string, number>[]): boolean {
  return report.totals.pss === rollups.reduce((sum, r) => sum + r.Pss, 0);
}
