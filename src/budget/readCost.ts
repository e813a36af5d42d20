/**
 * What an exact read (smaps_rollup) costs: a fixed part (open, the text, close)
 * and the page walk, which is proportional to the resident size. Measured here
 * (docs/budget.md): 0.2 ms for a process of a few pages; 22–30 ms per resident GiB of
 * 4 KiB pages on this 2-core machine under load, 7–22 quiet. Both parts are learned
 * from the reads made: the walk's rate machine-wide from every read, and per process
 * from its own (its mappings, huge pages and the load it runs under make it cheaper
 * or dearer than the machine's average); a process's first read is planned at the
 * machine's rate.
 */

export const GIB = 2 ** 30;
/**
 * Below this resident size a read's time is mostly its fixed part and the
 * scheduler's noise: it teaches the fixed part, not the walk's rate.
 */
export const WALK_LEARNED_FROM_BYTES = 64 * 2 ** 20;

/**
 * A walk rate as two decayed sums, ms of walk over GiB walked: their ratio is
 * the rate, weighted by size, so that one big read (the reliable kind) counts for
 * more than a small one that a preemption made look slow.
 */
export interface WalkRate {
  walkMs: number;
  gib: number;
}

export interface MachineReadCost {
  /** The fixed part of a read, ms. */
  baseMs: number;
  /** The walk's rate over every read of at least WALK_LEARNED_FROM_BYTES. */
  walk: WalkRate;
}

/** Each new read weighs this much against what was learned before (decay of the sums: 1 − this). */
const MACHINE_WEIGHT = 0.2;
const PROCESS_WEIGHT = 0.5;

/**
 * Before any read: 20 ms per GiB (DESIGN's 7–22, the loaded end of it: a first
 * guess that errs on the side of the process read) held as a quarter GiB's worth
 * of reads, so that the first real ones outweigh it; 0.2 ms fixed.
 */
export const INITIAL_READ_COST: Readonly<MachineReadCost> = { baseMs: 0.2, walk: { walkMs: 5, gib: 0.25 } };

export const msPerGiB = (rate: WalkRate): number => (rate.gib > 0 ? rate.walkMs / rate.gib : 0);

/** The expected ms of an exact read of a process this resident, at its own rate where it has one, else the machine's. */
export function expectedReadMs(residentBytes: number, machine: MachineReadCost, own?: WalkRate): number {
  return machine.baseMs + msPerGiB(own ?? machine.walk) * (residentBytes / GIB);
}

/** One read of `ms` at `residentBytes` folded into a walk rate (the walk being the read less the fixed part). */
function foldRead(rate: WalkRate | undefined, weight: number, residentBytes: number, ms: number, baseMs: number): WalkRate {
  const walkMs = Math.max(0, ms - baseMs);
  const gib = residentBytes / GIB;
  if (rate === undefined) return { walkMs, gib };
  return { walkMs: rate.walkMs * (1 - weight) + walkMs, gib: rate.gib * (1 - weight) + gib };
}

/** The machine's cost after one more read: a small process teaches the fixed part, a bigger one the walk's rate. */
export function learnMachineCost(machine: MachineReadCost, residentBytes: number, ms: number): MachineReadCost {
  if (!(ms >= 0) || !Number.isFinite(ms)) return machine;
  if (residentBytes < WALK_LEARNED_FROM_BYTES) return { ...machine, baseMs: machine.baseMs * (1 - MACHINE_WEIGHT / 2) + ms * (MACHINE_WEIGHT / 2) };
  return { ...machine, walk: foldRead(machine.walk, MACHINE_WEIGHT, residentBytes, ms, machine.baseMs) };
}

/** A process's own rate after one more read of it; unchanged by reads too small to say anything of its walk. */
export function learnProcessRate(own: WalkRate | undefined, machine: MachineReadCost, residentBytes: number, ms: number): WalkRate | undefined {
  if (!(ms >= 0) || !Number.isFinite(ms) || residentBytes < WALK_LEARNED_FROM_BYTES) return own;
  return foldRead(own, PROCESS_WEIGHT, residentBytes, ms, machine.baseMs);
}

/**
 * The largest resident size whose exact read is expected within `maxReadMs` at
 * the machine's rate (expectedReadMs's inverse): a new process the plan did not
 * list is read at once up to it, and starts from status over it, as the plan
 * decides a new process (planReads). Infinity where the walk costs nothing yet.
 */
export function residentWithinMs(machine: MachineReadCost, maxReadMs: number): number {
  const walkMs = maxReadMs - machine.baseMs;
  if (walkMs < 0) return 0;
  const rate = msPerGiB(machine.walk);
  return rate > 0 ? (walkMs / rate) * GIB : Infinity;
}
