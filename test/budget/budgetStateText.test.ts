import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BUDGET_KNOBS } from '../../src/budget/budgetKnobs.js';
import { emptyBudgetState, recordReads, type BudgetState } from '../../src/budget/budgetState.js';
import { budgetStateText, parseBudgetState } from '../../src/budget/budgetStateText.js';
import { planReads } from '../../src/budget/planReads.js';
import { addTally, emptyBudgetTotals, type BudgetTotals } from '../../src/budget/budgetReport.js';
import { tallyPlan } from '../../src/budget/planTally.js';
import { parseSmapsRollup } from '../../src/kernel/procfs/smapsRollup.js';
import { snapshotText } from '../helpers/snapshots.js';

const MIB = 2 ** 20;

/** Two scans: a process read exactly (the captured node's rollup, a rate of its own), one over the bound never read, one with status beside its first sight. */
function someState(): BudgetState {
  const rollup = parseSmapsRollup(snapshotText('node-many-mappings', '11163/smaps_rollup'));
  if (!rollup.ok) throw new Error('unparsable');
  const processes = [
    { pid: 11163, startTime: 4242, name: 'node', residentBytes: 40336 * 1024 },
    { pid: 12, startTime: 99, name: 'postgres', residentBytes: 3000 * MIB, cheap: { anon: 2900 * MIB, fileAndShmem: 100 * MIB, swap: 0 } },
  ];
  const first = planReads(processes, emptyBudgetState(), DEFAULT_BUDGET_KNOBS, 1_000);
  const counters = { ...rollup.value, rss: 100 * MIB };
  const read = recordReads(first.state, [{ pid: 11163, startTime: 4242, ms: 2.5, counters }], 1_000);
  return planReads(processes, read, DEFAULT_BUDGET_KNOBS, 2_000).state;
}

/** The counters' totals after two runs: a scan that read 11163 (small) and skipped 12 (new over the bound), twice, 2.5 ms each. */
function someTotals(): BudgetTotals {
  const plan = planReads([{ pid: 11163, startTime: 4242, name: 'node', residentBytes: MIB }, { pid: 12, startTime: 99, name: 'postgres', residentBytes: 3000 * MIB }],
    emptyBudgetState(), DEFAULT_BUDGET_KNOBS, 1_000).plan;
  const tally = tallyPlan(plan, [{ pid: 11163, startTime: 4242, ms: 2.5 }]);
  return addTally(addTally(emptyBudgetTotals(), tally, 0.125), tally, 0.25);
}

describe('the state as a text (export from cron)', () => {
  it('reads back what it wrote, record for record, and the counters\' totals', () => {
    const state = someState();
    const totals = someTotals();
    expect(totals).toMatchObject({ made: { small: 2 }, skipped: { newOverBound: 2 }, seconds: 0.005, scans: 2, scanSeconds: 0.375 });
    const text = budgetStateText(state, totals);
    expect(JSON.parse(text)).toMatchObject({ schema: 'footprint.budget/1', scan: 2 });
    // Nothing of `other`: a record keeps the known counters only.
    expect(text).not.toContain('"other"');
    const read = parseBudgetState(text);
    expect(read).toEqual({ ok: true, state, totals });
    if (read.ok) expect(planReads([{ pid: 12, startTime: 99, name: 'postgres', residentBytes: 3000 * MIB }], read.state, DEFAULT_BUDGET_KNOBS, 3_000)).toEqual(planReads([{ pid: 12, startTime: 99, name: 'postgres', residentBytes: 3000 * MIB }], state, DEFAULT_BUDGET_KNOBS, 3_000));
  });

  it('starts the totals at 0 from a state written without them (a counter reset)', () => {
    const { totals: _totals, ...older } = JSON.parse(budgetStateText(someState(), someTotals()));
    const read = parseBudgetState(JSON.stringify(older));
    expect(read.ok && read.totals).toEqual(emptyBudgetTotals());
  });

  const good = () => JSON.parse(budgetStateText(someState(), someTotals()));

  it('reads a state written before first reads were counted: their count from 0, the others kept', () => {
    const older = good();
    older.totals.made.small = 7;
    delete older.totals.made.first;
    const read = parseBudgetState(JSON.stringify(older));
    if (!read.ok) throw new Error(read.reason);
    expect(read.totals.made).toEqual({ exact: 0, small: 7, first: 0, refresh: 0, moved: 0 });
    const counted = good();
    counted.totals.made.first = 3;
    const again = parseBudgetState(JSON.stringify(counted));
    expect(again.ok && again.totals.made.first).toBe(3);
  });

  it('reads a state written when a process not read yet kept its first size: that size is no longer used, and not kept', () => {
    const older = good();
    older.processes[1].firstResident = 3000 * MIB;
    older.processes[1].firstCheap = { anon: 2900 * MIB, fileAndShmem: 100 * MIB, swap: 0 };
    const read = parseBudgetState(JSON.stringify(older));
    expect(read).toEqual(parseBudgetState(JSON.stringify(good())));
    expect(read.ok && read.state.processes.get('12:99')).toEqual({ pid: 12, startTime: 99, name: 'postgres', firstSeenAtMs: 1_000, firstSeenScan: 1 });
  });

  it.each([
    ['not JSON', () => '{"schema":', 'not JSON'],
    ['another schema', () => JSON.stringify({ ...good(), schema: 'footprint.report/1' }), 'not footprint.budget/1'],
    ['a list at the top', () => '[]', 'the state is not an object'],
    ['a negative rate', () => { const doc = good(); doc.machine.walk.gib = -1; return JSON.stringify(doc); }, 'machine.walk.gib is not a number from 0 to 9007199254740991'],
    ['a PID past pid_max', () => { const doc = good(); doc.processes[0].pid = 2 ** 22 + 1; return JSON.stringify(doc); }, 'processes[0].pid is not a number from 0 to 4194304'],
    ['a fraction of a byte', () => { const doc = good(); doc.processes[0].exact.counters.privateDirty = 1.5; return JSON.stringify(doc); }, 'processes[0].exact.counters.privateDirty is not a number from 0 to 9007199254740991'],
    ['a missing counter', () => { const doc = good(); delete doc.processes[0].exact.counters.pss; return JSON.stringify(doc); }, 'processes[0].exact.counters.pss is not a number from 0 to 9007199254740991'],
    ['a name no kernel gives', () => { const doc = good(); doc.processes[1].name = 'x'.repeat(65); return JSON.stringify(doc); }, 'processes[1].name is not a name'],
    ['processes that are not a list', () => JSON.stringify({ ...good(), processes: {} }), 'processes is not a list of at most 4194304'],
    ['a record that is a string', () => JSON.stringify({ ...good(), processes: ['x'] }), 'processes[0] is not an object'],
    ['totals that are not an object', () => JSON.stringify({ ...good(), totals: 7 }), 'totals is not an object'],
    ['a count of reads below 0', () => { const doc = good(); doc.totals.made.small = -1; return JSON.stringify(doc); }, 'totals.made.small is not a number from 0 to 9007199254740991'],
    ['a fraction of a read', () => { const doc = good(); doc.totals.skipped.newOverBound = 0.5; return JSON.stringify(doc); }, 'totals.skipped.newOverBound is not a number from 0 to 9007199254740991'],
    ['a count of first reads below 0', () => { const doc = good(); doc.totals.made.first = -1; return JSON.stringify(doc); }, 'totals.made.first is not a number from 0 to 9007199254740991'],
    ['a count of first reads that is not a number', () => { const doc = good(); doc.totals.made.first = '2'; return JSON.stringify(doc); }, 'totals.made.first is not a number from 0 to 9007199254740991'],
    ['a missing reason', () => { const doc = good(); delete doc.totals.skipped.overBudget; return JSON.stringify(doc); }, 'totals.skipped.overBudget is not a number from 0 to 9007199254740991'],
    ['seconds that are not a number', () => { const doc = good(); doc.totals.seconds = '1'; return JSON.stringify(doc); }, 'totals.seconds is not a number from 0 to 9007199254740991'],
  ])('refuses %s, saying where', (_what, text, reason) => {
    expect(parseBudgetState(text())).toEqual({ ok: false, reason });
  });
});
