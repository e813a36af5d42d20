/** The figures footprint reports for a process or a group, in bytes. */
export interface MemoryFigures {
  /** Private_Dirty: memory the process alone has written. */
  writable: number;
  privateClean: number;
  /** Private_Clean + Private_Dirty + Private_Hugetlb. */
  private: number;
  /** Pss - (Private_Clean + Private_Dirty): this process's share of shared pages. */
  shared: number;
  /** private + shared. */
  ram: number;
  pss: number;
  rss: number;
  /** SwapPss where the kernel has it, else Swap. */
  swap: number;
}

export const FIGURE_NAMES = ['writable', 'privateClean', 'private', 'shared', 'ram', 'pss', 'rss', 'swap'] as const;

export function zeroFigures(): MemoryFigures {
  return { writable: 0, privateClean: 0, private: 0, shared: 0, ram: 0, pss: 0, rss: 0, swap: 0 };
}

export function addFigures(into: MemoryFigures, from: MemoryFigures): void {
  for (const name of FIGURE_NAMES) into[name] += from[name];
}
