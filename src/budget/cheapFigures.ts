import { MAX_COUNT, type MemoryCounters } from '../kernel/procfs/memoryCounters.js';
import type { ProcessStatus } from '../kernel/procfs/status.js';
import type { ProcessStatm } from '../kernel/procfs/statm.js';

/**
 * What the kernel says of a process's size without walking its page tables: the
 * counters it keeps as pages come and go (status's RssAnon, RssFile, RssShmem,
 * VmSwap; statm's resident and shared). Cheap to read, and the basis of both the
 * cost of an exact read and the figures carried forward between exact reads.
 * Bytes.
 */
export interface CheapFigures {
  /** RssAnon: anonymous resident pages (heap, stacks, private anonymous mappings). */
  anon: number;
  /** RssFile + RssShmem: resident file-backed and shared-memory pages. */
  fileAndShmem: number;
  /** VmSwap; absent where the source has none (statm). */
  swap?: number;
}

/** The resident size, what an exact read's page walk is proportional to. */
export const residentOf = (cheap: CheapFigures): number => cheap.anon + cheap.fileAndShmem;

/** From status; undefined where it lacks RssAnon (kernel threads, zombies, Linux < 4.5). */
export function cheapFromStatus(status: ProcessStatus): CheapFigures | undefined {
  if (status.rssAnon === undefined) return undefined;
  const cheap: CheapFigures = { anon: status.rssAnon, fileAndShmem: (status.rssFile ?? 0) + (status.rssShmem ?? 0) };
  if (status.vmSwap !== undefined) cheap.swap = status.vmSwap;
  return cheap;
}

/**
 * From statm, in pages of `pageSize` bytes: anon = resident − shared. Undefined
 * where the bytes would pass MAX_COUNT (a crafted file). A kernel thread's statm
 * is all zeros: a process of no size, not an error.
 */
export function cheapFromStatm(statm: ProcessStatm, pageSize: number): CheapFigures | undefined {
  const resident = statm.residentPages * pageSize;
  const shared = Math.min(statm.sharedPages, statm.residentPages) * pageSize;
  if (!Number.isSafeInteger(resident) || resident > MAX_COUNT) return undefined;
  return { anon: resident - shared, fileAndShmem: shared };
}

/**
 * The cheap figures as an exact read saw them: Anonymous for RssAnon, Rss −
 * Anonymous for RssFile + RssShmem (shmem pages are not Anonymous in smaps),
 * Swap for VmSwap. The kernel's counters and its walk agree to a page or two
 * (measured on every process here: 43 of 44 to the kB, one that was running by
 * 24 kB), so an exact read is its own baseline and the scan need not read status
 * beside it.
 */
export function cheapFromCounters(counters: MemoryCounters): CheapFigures {
  return { anon: counters.anonymous, fileAndShmem: Math.max(0, counters.rss - counters.anonymous), swap: counters.swap };
}

/**
 * How far the cheap figures moved from `before` to `now`, as a share of what
 * they were: the sum of each part's change (anon, file and shmem, swap where both
 * have it) over the resident size and swap before. A process that was empty and
 * is not now moved by 1 (all of it is new).
 */
export function cheapMove(before: CheapFigures, now: CheapFigures): number {
  const swapBefore = before.swap !== undefined && now.swap !== undefined ? before.swap : 0;
  const swapNow = before.swap !== undefined && now.swap !== undefined ? now.swap : 0;
  const moved = Math.abs(now.anon - before.anon) + Math.abs(now.fileAndShmem - before.fileAndShmem) + Math.abs(swapNow - swapBefore);
  const size = residentOf(before) + swapBefore;
  if (size === 0) return moved === 0 ? 0 : 1;
  return moved / size;
}

/**
 * How far a process moved from a baseline: by its parts where both readings have
 * them (cheapMove), else by its resident size alone (stat's RSS, which the scan
 * reads anyway), the change over what it was.
 */
export function residentMove(baseline: CheapFigures | undefined, baselineResident: number, now: CheapFigures | undefined, residentNow: number): number {
  if (baseline !== undefined && now !== undefined) return cheapMove(baseline, now);
  const moved = Math.abs(residentNow - baselineResident);
  if (baselineResident === 0) return moved === 0 ? 0 : 1;
  return moved / baselineResident;
}
