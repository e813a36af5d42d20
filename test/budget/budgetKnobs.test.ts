import { describe, expect, it } from '@jest/globals';
import { checkBudgetKnobs, DEFAULT_BUDGET_KNOBS } from '../../src/budget/budgetKnobs.js';

describe('the knobs of the read budget', () => {
  it('default to a 10 ms bound, a 5 minute refresh, a 10% share and 100 ms a scan, the budget on', () => {
    expect(DEFAULT_BUDGET_KNOBS).toEqual({ exact: false, maxReadMs: 10, refreshMs: 300_000, changeShare: 0.1, scanBudgetMs: 100 });
    expect(checkBudgetKnobs(DEFAULT_BUDGET_KNOBS)).toBeUndefined();
  });

  it.each([
    [{ maxReadMs: 0 }, 'the read bound must be a positive number of milliseconds, not 0'],
    [{ maxReadMs: Number.NaN }, 'the read bound must be a positive number of milliseconds, not NaN'],
    [{ refreshMs: -1 }, 'the refresh period must be a positive number of milliseconds, not -1'],
    [{ refreshMs: Number.POSITIVE_INFINITY }, 'the refresh period must be a positive number of milliseconds, not Infinity'],
    [{ changeShare: 0 }, 'the change share must be a positive fraction, not 0'],
    [{ scanBudgetMs: -5 }, "the scan's read budget must be 0 or more milliseconds, not -5"],
  ])('refuses %p in one line naming the knob', (change, message) => {
    expect(checkBudgetKnobs({ ...DEFAULT_BUDGET_KNOBS, ...change })).toBe(message);
  });

  it('takes a scan budget of 0: then only the one due read a scan always makes', () => {
    expect(checkBudgetKnobs({ ...DEFAULT_BUDGET_KNOBS, scanBudgetMs: 0 })).toBeUndefined();
  });
});
