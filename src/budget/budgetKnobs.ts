/**
 * The knobs of the read budget (docs/budget.md says what each costs). The
 * command line's --max-read-ms, --refresh and --exact set the first three; the
 * other two have no option yet.
 */
export interface BudgetKnobs {
  /** Every process read exactly, every scan: footprint as it was (no budget). */
  exact: boolean;
  /** A process whose read is expected to take longer than this is over the bound: read at most once per refresh, or when it moved. */
  maxReadMs: number;
  /** How old an exact figure of a process over the bound may grow before it is read again. */
  refreshMs: number;
  /** A process over the bound whose cheap figures moved by more than this share since its last exact read is read again (as often as the bound allows). */
  changeShare: number;
  /** The most a scan spends on reads over the bound (expected ms); the longest-unrefreshed first, and always at least one that is due. */
  scanBudgetMs: number;
}

export const DEFAULT_BUDGET_KNOBS: Readonly<BudgetKnobs> = {
  exact: false,
  maxReadMs: 10,
  refreshMs: 5 * 60_000,
  changeShare: 0.1,
  scanBudgetMs: 100,
};

/** What is wrong with a set of knobs, in one line naming the knob, or undefined when they hold together. */
export function checkBudgetKnobs(knobs: BudgetKnobs): string | undefined {
  const positive = (value: number) => Number.isFinite(value) && value > 0;
  if (!positive(knobs.maxReadMs)) return `the read bound must be a positive number of milliseconds, not ${knobs.maxReadMs}`;
  if (!positive(knobs.refreshMs)) return `the refresh period must be a positive number of milliseconds, not ${knobs.refreshMs}`;
  if (!positive(knobs.changeShare)) return `the change share must be a positive fraction, not ${knobs.changeShare}`;
  if (!Number.isFinite(knobs.scanBudgetMs) || knobs.scanBudgetMs < 0) return `the scan's read budget must be 0 or more milliseconds, not ${knobs.scanBudgetMs}`;
  return undefined;
}
