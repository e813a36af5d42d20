import { describe, expect, it } from '@jest/globals';
import { DEFAULT_BUDGET_KNOBS } from '../../src/budget/budgetKnobs.js';
import { emptyBudgetState, recordReads, type BudgetState } from '../../src/budget/budgetState.js';
import { budgetStateText, parseBudgetState } from '../../src/budget/budgetStateText.js';
import { planReads } from '../../src/budget/planReads.js';
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

describe('the state as a text (export from cron)', () => {
  it('reads back what it wrote, record for record', () => {
    const state = someState();
    const text = budgetStateText(state);
    expect(JSON.parse(text)).toMatchObject({ schema: 'footprint.budget/1', scan: 2 });
    // Nothing of `other`: a record keeps the known counters only.
    expect(text).not.toContain('"other"');
    const read = parseBudgetState(text);
    expect(read).toEqual({ ok: true, state });
    if (read.ok) expect(planReads([{ pid: 12, startTime: 99, name: 'postgres', residentBytes: 3000 * MIB }], read.state, DEFAULT_BUDGET_KNOBS, 3_000)).toEqual(planReads([{ pid: 12, startTime: 99, name: 'postgres', residentBytes: 3000 * MIB }], state, DEFAULT_BUDGET_KNOBS, 3_000));
  });

  const good = () => JSON.parse(budgetStateText(someState()));
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
  ])('refuses %s, saying where', (_what, text, reason) => {
    expect(parseBudgetState(text())).toEqual({ ok: false, reason });
  });
});
