import { UsageError } from '../../errors.js';
import { checkBudgetKnobs, DEFAULT_BUDGET_KNOBS, type BudgetKnobs } from '../../budget/budgetKnobs.js';
import { parseInterval } from './size.js';

/** --max-read-ms, --refresh and --exact as the budget's knobs; the others at their defaults. */
export function parseBudgetKnobs(args: { maxReadMs?: string; refresh?: string; exact?: boolean }): BudgetKnobs {
  const knobs: BudgetKnobs = { ...DEFAULT_BUDGET_KNOBS, exact: args.exact === true };
  if (args.maxReadMs !== undefined) {
    const text = String(args.maxReadMs).trim();
    const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(ms > 0)) throw new UsageError(`--max-read-ms: "${text}" is not a positive number of milliseconds`);
    knobs.maxReadMs = ms;
  }
  if (args.refresh !== undefined) knobs.refreshMs = parseInterval('--refresh', args.refresh);
  const wrong = checkBudgetKnobs(knobs);
  if (wrong !== undefined) throw new UsageError(wrong);
  return knobs;
}
