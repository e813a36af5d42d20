import type { MemoryCounters } from '../procfs/memoryCounters.js';

/**
 * The one table of the figures footprint reports for a process or a group:
 * everything that lists them — the report's table and CSV, the JSON fields and
 * their validation, the sort keys, the metrics, diffs, watch's screen, what
 * history can chart — is derived from it. Adding a figure is one row here,
 * with its computation; nothing else to keep in step.
 */
export interface FigureSpec {
  /** Its field in JSON (groups and totals), its CSV column, its --sort key. */
  readonly key: string;
  /** The heading of its column in the text tables; none: not a column there. */
  readonly label?: string;
  /** A column only when some group has any (swap, on the many machines without). */
  readonly onlyWhenSome?: boolean;
  /** Its Prometheus family (base unit bytes) and help; none: not exported. */
  readonly metric?: { readonly name: string; readonly help: string };
  /** A --sort key. */
  readonly sortable: boolean;
  /** In `diff` (what grew between two reports). */
  readonly diffable: boolean;
  /** `history --metric KEY` charts it, under this title (and its index keeps it). */
  readonly history?: string;
  /** A size, never negative; a difference (shared) may dip below 0 by rounding. */
  readonly size: boolean;
  /** In the report's totals. */
  readonly inTotals: boolean;
  /** Its value for one process, from the kernel's counters (as ps_mem and smem define them). */
  readonly of: (counters: MemoryCounters) => number;
}

/** private = Private_Clean + Private_Dirty + Private_Hugetlb: hugetlb pages are in no other field. */
const privateOf = (c: MemoryCounters) => c.privateClean + c.privateDirty + c.privateHugetlb;
/**
 * shared = Pss − (Private_Clean + Private_Dirty). Pss is rounded down per mapping by the
 * kernel, so on a few small mappings it can fall a little below them; a share is never negative.
 */
const sharedOf = (c: MemoryCounters) => Math.max(0, c.pss - (c.privateClean + c.privateDirty));

export const FIGURES = [
  {
    key: 'writable', label: 'Writable', sortable: true, diffable: true, history: 'Writable memory', size: true, inTotals: true,
    metric: { name: 'footprint_writable_bytes', help: 'Writable memory: Private_Dirty of smaps_rollup, summed over the group' },
    of: (c) => c.privateDirty,
  },
  { key: 'privateClean', sortable: false, diffable: false, size: true, inTotals: false, of: (c) => c.privateClean },
  {
    key: 'private', label: 'Private', sortable: true, diffable: true, history: 'Private memory', size: true, inTotals: true,
    metric: { name: 'footprint_private_bytes', help: 'Private memory: Private_Clean + Private_Dirty + Private_Hugetlb, summed over the group' },
    of: privateOf,
  },
  {
    key: 'shared', label: 'Shared', sortable: true, diffable: true, size: false, inTotals: true,
    metric: { name: 'footprint_shared_bytes', help: 'Proportional share of shared pages: Pss - (Private_Clean + Private_Dirty), summed over the group' },
    of: sharedOf,
  },
  {
    key: 'ram', label: 'RAM used', sortable: true, diffable: true, history: 'RAM used', size: true, inTotals: true,
    metric: { name: 'footprint_ram_bytes', help: 'RAM used: private + shared, summed over the group' },
    of: (c) => privateOf(c) + sharedOf(c),
  },
  {
    key: 'pss', sortable: true, diffable: false, history: 'PSS', size: true, inTotals: true,
    metric: { name: 'footprint_pss_bytes', help: 'Pss: the Pss line of smaps_rollup, summed over the group' },
    of: (c) => c.pss,
  },
  {
    key: 'rss', sortable: true, diffable: false, size: true, inTotals: true,
    metric: { name: 'footprint_rss_bytes', help: 'Resident set size: the Rss line of smaps_rollup, summed over the group' },
    of: (c) => c.rss,
  },
  {
    key: 'swap', label: 'Swap', onlyWhenSome: true, sortable: true, diffable: false, history: 'Swap', size: true, inTotals: true,
    metric: { name: 'footprint_swap_bytes', help: 'Swapped out: SwapPss (else Swap) of smaps_rollup, summed over the group' },
    of: (c) => c.swapPss ?? c.swap,
  },
] as const satisfies readonly FigureSpec[];

export type FigureKey = (typeof FIGURES)[number]['key'];

type Keys<F> = F extends { readonly key: infer K } ? K : never;
/** The keys of the rows that have a given flag set. */
export type SortableFigure = Keys<Extract<(typeof FIGURES)[number], { sortable: true }>>;
export type DiffableFigure = Keys<Extract<(typeof FIGURES)[number], { diffable: true }>>;
export type HistoryFigure = Keys<Extract<(typeof FIGURES)[number], { history: string }>>;

/** The figures of a process or a group, in bytes, one per row of FIGURES. */
export type MemoryFigures = Record<FigureKey, number>;

export const FIGURE_KEYS = FIGURES.map((figure) => figure.key) as readonly FigureKey[];
export const SORTABLE_FIGURES = FIGURES.filter((figure) => figure.sortable).map((figure) => figure.key) as readonly SortableFigure[];
export const DIFFABLE_FIGURES = FIGURES.filter((figure) => figure.diffable).map((figure) => figure.key) as readonly DiffableFigure[];
export const HISTORY_FIGURES = FIGURES.filter((figure) => 'history' in figure).map((figure) => figure.key) as readonly HistoryFigure[];

export function figureSpec(key: FigureKey): FigureSpec {
  return FIGURES.find((figure) => figure.key === key)!;
}
