import { describe, expect, it } from '@jest/globals';
import { emptyBudgetState, processKey, type ProcessBudget } from '../../src/budget/budgetState.js';
import { scannedFromSamples } from '../../src/budget/scannedFromSamples.js';
import { emptyCounters } from '../../src/kernel/procfs/memoryCounters.js';
import type { FigureBasis, ProcessSample } from '../../src/model/processSample.js';

const MIB = 2 ** 20;

function sample(pid: number, name: string, rss: number, basis: FigureBasis | undefined): ProcessSample {
  const counters = emptyCounters();
  counters.rss = rss;
  return { pid, startTime: 1000 + pid, ppid: 1, statusName: name, exeDeleted: false, cmdline: [], counters, estimated: false, ...(basis === undefined ? {} : { basis }) };
}

describe('the next plan\'s processes, from a scan\'s samples', () => {
  it('are each sample under the budget: PID, start time, name, and the Rss read or carried', () => {
    const samples = [sample(5, 'postgres', 3000 * MIB, 'carried'), sample(6, 'bash', 4 * MIB, 'exact'), sample(7, 'x', MIB, undefined)];
    expect(scannedFromSamples(samples, emptyBudgetState())).toEqual([
      { pid: 5, startTime: 1005, name: 'postgres', residentBytes: 3000 * MIB },
      { pid: 6, startTime: 1006, name: 'bash', residentBytes: 4 * MIB },
    ]);
  });

  it('keep the name the state knows where status\'s (escaped) and stat\'s (raw) could differ, not where they cannot', () => {
    const record = (pid: number, name: string): [string, ProcessBudget] => [processKey(pid, 1000 + pid), { pid, startTime: 1000 + pid, name, firstSeenAtMs: 0, firstSeenScan: 1 }];
    const state = { ...emptyBudgetState(), processes: new Map([record(5, 'a\nb'), record(6, 'bash')]) };
    const names = scannedFromSamples([sample(5, 'a\\nb', MIB, 'carried'), sample(6, 'zsh', MIB, 'exact')], state).map((p) => p.name);
    // 5's status name is its stat comm escaped; 6 exec'd: a new name, plain, is taken (an exec, as the plan tells it).
    expect(names).toEqual(['a\nb', 'zsh']);
  });
});
