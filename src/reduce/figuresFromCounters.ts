import type { MemoryCounters } from '../procfs/memoryCounters.js';
import { FIGURES, type MemoryFigures } from '../model/figures.js';

/**
 * The reported figures from the kernel's counters, each as its row of FIGURES
 * computes it: writable = Private_Dirty; private = Private_Clean + Private_Dirty
 * + Private_Hugetlb; shared = Pss - (Private_Clean + Private_Dirty); RAM used =
 * private + shared; swap = SwapPss where the kernel has it, else Swap.
 */
export function figuresFromCounters(c: MemoryCounters): MemoryFigures {
  const figures = {} as MemoryFigures;
  for (const figure of FIGURES) figures[figure.key] = figure.of(c);
  return figures;
}
