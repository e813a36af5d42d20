import type { MemoryCounters } from '../kernel/procfs/memoryCounters.js';
import { FIGURES, FIGURE_SPECS, type MemoryFigures, type ProcessFacts } from '../model/figures.js';

/**
 * The reported figures from the kernel's counters, each as its row of FIGURES
 * computes it: writable = Private_Dirty; private = Private_Clean + Private_Dirty
 * + Private_Hugetlb; shared = Pss - (Private_Clean + Private_Dirty); RAM used =
 * private + shared; swap = SwapPss where the kernel has it, else Swap.
 */
export function figuresFromCounters(c: MemoryCounters, process?: ProcessFacts): MemoryFigures {
  const figures: Record<string, number> = {};
  // Indexed, not for...of: serve runs baseline code only (--max-opt=1), where each step of an iterator is an object.
  for (let index = 0; index < FIGURE_SPECS.length; index++) {
    const figure = FIGURE_SPECS[index];
    const value = figure.of(c, process);
    if (value !== undefined) figures[figure.key] = value;
  }
  return figures as MemoryFigures;
}
