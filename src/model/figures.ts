import type { MemoryCounters } from '../kernel/procfs/memoryCounters.js';

/** What the kernel says of one process beside its memory counters (ProcessSample's fields). */
export interface ProcessFacts {
  oomScore?: number;
}

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
  /** Its --sort word where that is not its key. */
  readonly sortAs?: string;
  /** What it counts: bytes (the default), or a score shown as a plain number. */
  readonly unit?: 'bytes' | 'score';
  /** How a group's value comes from its processes': their sum (the default), or the highest. */
  readonly combine?: 'sum' | 'max';
  /** A figure a process may not have (a file the kernel or a captured tree lacks): absent then, never 0. */
  readonly optional?: boolean;
  /**
   * A column of the text table and the CSV only when asked for: sorting by it,
   * or one process a row (--group pid); its heading then. (JSON always has it.)
   * Keeps the report's columns as they were for every other invocation.
   */
  readonly onRequest?: { readonly label: string };
  /** Its value for one process, from the kernel's counters (as ps_mem and smem define them); undefined: unknown (optional figures only). */
  readonly of: (counters: MemoryCounters, process?: ProcessFacts) => number | undefined;
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
  {
    // Linux 6.0+: Pss's dirty part (a kernel without it leaves it out, never 0). In JSON and metrics; in the table and CSV by process (--group pid).
    key: 'pssDirty', onRequest: { label: 'Pss dirty' }, optional: true, sortable: false, diffable: false, size: true, inTotals: false,
    metric: { name: 'footprint_pss_dirty_bytes', help: 'Dirty part of Pss: the Pss_Dirty line of smaps_rollup (Linux 6.0+), summed over the group' },
    of: (c) => c.pssDirty,
  },
  {
    // The kernel's own ranking for its OOM killer (/proc/PID/oom_score): a group is
    // as exposed as its most exposed process, so the highest, not a sum.
    key: 'oomScore', sortAs: 'oom', onRequest: { label: 'OOM score' }, unit: 'score', combine: 'max', optional: true,
    sortable: true, diffable: false, size: true, inTotals: false,
    of: (_c, process) => process?.oomScore,
  },
] as const satisfies readonly FigureSpec[];

/** The same rows seen as FigureSpec, for code that walks every row (no cast needed: FIGURES satisfies it). */
export const FIGURE_SPECS: readonly FigureSpec[] = FIGURES;

export type FigureKey = (typeof FIGURES)[number]['key'];

type Keys<F> = F extends { readonly key: infer K } ? K : never;
type SortWords<F> = F extends { readonly sortAs: infer S } ? S : Keys<F>;
/** The keys of the rows that have a given flag set. */
export type SortableFigure = SortWords<Extract<(typeof FIGURES)[number], { sortable: true }>>;
export type OptionalFigure = Keys<Extract<(typeof FIGURES)[number], { optional: true }>>;
export type DiffableFigure = Keys<Extract<(typeof FIGURES)[number], { diffable: true }>>;
export type HistoryFigure = Keys<Extract<(typeof FIGURES)[number], { history: string }>>;

/** The figures every process has (all but the optional ones). */
export type SummedFigure = Exclude<FigureKey, OptionalFigure>;

/** The figures of a process or a group, one per row of FIGURES (bytes, but where a row says otherwise); an optional one is absent where unknown. */
export type MemoryFigures = Record<SummedFigure, number> & Partial<Record<OptionalFigure, number>>;

export const FIGURE_KEYS = FIGURES.map((figure) => figure.key) as readonly FigureKey[];
/** The --sort words of the sortable figures (see sortField for the field each ranks by). */
export const SORTABLE_FIGURES = FIGURE_SPECS.filter((figure) => figure.sortable).map((figure) => figure.sortAs ?? figure.key) as readonly SortableFigure[];
export const DIFFABLE_FIGURES = FIGURES.filter((figure) => figure.diffable).map((figure) => figure.key) as readonly DiffableFigure[];
export const HISTORY_FIGURES = FIGURES.filter((figure) => 'history' in figure).map((figure) => figure.key) as readonly HistoryFigure[];

export function figureSpec(key: FigureKey): FigureSpec {
  return FIGURES.find((figure) => figure.key === key)!;
}

/** The figure a --sort word ranks by. */
export function figureOfSortWord(word: string): FigureSpec | undefined {
  return FIGURE_SPECS.find((figure) => figure.sortable && (figure.sortAs ?? figure.key) === word);
}
