import type { MemoryCounters } from '../procfs/memoryCounters.js';
import type { MemoryFigures } from '../model/memoryFigures.js';

/**
 * The reported figures from the kernel's counters, as ps_mem and smem define them:
 * writable = Private_Dirty; private = Private_Clean + Private_Dirty + Private_Hugetlb
 * (hugetlb pages are in no other field); shared = Pss - (Private_Clean + Private_Dirty);
 * RAM used = private + shared; swap = SwapPss where the kernel has it, else Swap.
 */
export function figuresFromCounters(c: MemoryCounters): MemoryFigures {
  const privateBytes = c.privateClean + c.privateDirty + c.privateHugetlb;
  // Pss is rounded down per mapping by the kernel, so on a few small mappings it can
  // fall a little below Private_Clean + Private_Dirty; a share is never negative.
  const shared = Math.max(0, c.pss - (c.privateClean + c.privateDirty));
  return {
    writable: c.privateDirty,
    privateClean: c.privateClean,
    private: privateBytes,
    shared,
    ram: privateBytes + shared,
    pss: c.pss,
    rss: c.rss,
    swap: c.swapPss ?? c.swap,
  };
}
