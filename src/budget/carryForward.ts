import { emptyCounters, type MemoryCounters } from '../kernel/procfs/memoryCounters.js';
import type { ExactRead } from './budgetState.js';
import type { CheapFigures } from './cheapFigures.js';
import type { FigureBasis } from '../model/processSample.js';

/**
 * Where a process's figures come from this scan (model/processSample.ts): read
 * exactly now; carried forward from its last exact read by the change in its
 * cheap figures since; or, never read exactly (new and over the bound, or not
 * readable), from status alone.
 */
export type { FigureBasis };

export interface BudgetedFigures {
  /** The counters the report's figures are computed from (figuresFromCounters), as if read. */
  counters: MemoryCounters;
  basis: FigureBasis;
  /** How old the exact read under these figures is (0: this scan); absent for 'status', which has none. */
  exactAgeMs?: number;
  /** What carrying added to writable (the change in RssAnon since the exact read), bytes, signed; 0 where nothing was carried. */
  carriedAnon: number;
  /** What carrying added to shared (the change in RssFile + RssShmem). */
  carriedShared: number;
}

/** Figures read this scan. */
export function exactFigures(counters: MemoryCounters): BudgetedFigures {
  return { counters, basis: 'exact', exactAgeMs: 0, carriedAnon: 0, carriedShared: 0 };
}

/**
 * The last exact figures adjusted by the change in the cheap ones since:
 * RssAnon's change goes to writable and private (Private_Dirty, and Anonymous
 * with it), RssFile + RssShmem's to shared (Pss beside Private_*), VmSwap's to
 * swap (SwapPss and Swap), all of them to Rss. A figure never goes below 0: a
 * part that shrank by more than the exact read saw of it (anonymous pages that
 * were clean, say) stops at 0, and Pss moves with what writable really moved.
 * Private_Clean, the hugetlb fields and the rest are as last read. Swap moves
 * only where both reads of the cheap figures have it (status, not statm).
 */
export function carryForward(exact: ExactRead, cheapNow: CheapFigures, nowMs: number): BudgetedFigures {
  const was = exact.counters;
  const anonChange = cheapNow.anon - exact.cheap.anon;
  const sharedChange = cheapNow.fileAndShmem - exact.cheap.fileAndShmem;
  const swapChange = cheapNow.swap !== undefined && exact.cheap.swap !== undefined ? cheapNow.swap - exact.cheap.swap : 0;
  const privateDirty = Math.max(0, was.privateDirty + anonChange);
  const writableMoved = privateDirty - was.privateDirty;
  const sharedBefore = Math.max(0, was.pss - (was.privateClean + was.privateDirty));
  const sharedNow = Math.max(0, sharedBefore + sharedChange);
  const counters: MemoryCounters = {
    ...was,
    privateDirty,
    anonymous: Math.max(0, was.anonymous + anonChange),
    pss: Math.max(0, was.pss + writableMoved + (sharedNow - sharedBefore)),
    rss: Math.max(0, was.rss + anonChange + sharedChange),
    swap: Math.max(0, was.swap + swapChange),
    other: {},
  };
  if (was.swapPss !== undefined) counters.swapPss = Math.max(0, was.swapPss + swapChange);
  if (was.pssAnon !== undefined) counters.pssAnon = Math.max(0, was.pssAnon + writableMoved);
  if (was.pssDirty !== undefined) counters.pssDirty = Math.max(0, was.pssDirty + writableMoved);
  return { counters, basis: 'carried', exactAgeMs: Math.max(0, nowMs - exact.atMs), carriedAnon: writableMoved, carriedShared: sharedNow - sharedBefore };
}

/**
 * A process with no exact read yet, from its cheap figures alone, as the scan's
 * estimate from status has it: RssAnon stands for writable, RssFile + RssShmem
 * for shared, VmSwap for swap.
 */
export function statusFigures(cheap: CheapFigures): BudgetedFigures {
  const counters = emptyCounters();
  counters.privateDirty = cheap.anon;
  counters.anonymous = cheap.anon;
  counters.pss = cheap.anon + cheap.fileAndShmem;
  counters.rss = cheap.anon + cheap.fileAndShmem;
  counters.swap = cheap.swap ?? 0;
  return { counters, basis: 'status', carriedAnon: 0, carriedShared: 0 };
}

/** A process not read this scan: carried forward where it has an exact read, else from status. */
export function figuresWithoutRead(exact: ExactRead | undefined, cheapNow: CheapFigures, nowMs: number): BudgetedFigures {
  return exact === undefined ? statusFigures(cheapNow) : carryForward(exact, cheapNow, nowMs);
}
