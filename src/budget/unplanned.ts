import type { ProcessSample } from '../model/processSample.js';
import { processKey, type BudgetState, type ProcessBudget } from './budgetState.js';
import type { ReadDecision, ReadPlan } from './planReads.js';
import { expectedReadMs } from './readCost.js';

/**
 * The processes a scan measured that its plan did not list: started between the
 * stat pass and the scan, or under a PID reused since. The scan decided each as
 * the plan decides a new process (scan/scanPlan.ts): read at once ('small'), or
 * already over the bound and from status ('newOverBound'). Here they join the
 * state as if the plan had seen them, first seen now, so that their exact reads
 * are recorded and their refresh clock runs; and their decisions join the plan's
 * for the scan's tally.
 */
export function admitUnplanned(
  plan: ReadPlan, samples: readonly ProcessSample[], state: BudgetState, nowMs: number,
): { plan: ReadPlan; state: BudgetState } {
  const planned = new Map<number, number>();
  for (const decision of plan.decisions) planned.set(decision.pid, decision.startTime);
  let processes: Map<string, ProcessBudget> | undefined;
  const decisions: ReadDecision[] = [];
  for (const sample of samples) {
    if (sample.basis === undefined || planned.get(sample.pid) === sample.startTime) continue;
    const key = processKey(sample.pid, sample.startTime);
    processes ??= new Map(state.processes);
    if (processes.has(key)) continue;
    const residentBytes = sample.counters.rss;
    processes.set(key, {
      pid: sample.pid, startTime: sample.startTime, name: sample.statusName,
      firstSeenAtMs: nowMs, firstSeenScan: state.scan, firstResident: residentBytes,
    });
    const expectedMs = expectedReadMs(residentBytes, state.machine);
    decisions.push(sample.basis === 'exact'
      ? { pid: sample.pid, startTime: sample.startTime, expectedMs, read: true, reason: 'small' }
      : { pid: sample.pid, startTime: sample.startTime, expectedMs, read: false, reason: 'newOverBound', basis: 'status' });
  }
  if (processes === undefined || decisions.length === 0) return { plan, state };
  const readMs = decisions.reduce((sum, decision) => sum + (decision.read ? decision.expectedMs : 0), 0);
  return {
    plan: { ...plan, decisions: [...plan.decisions, ...decisions], expectedMs: plan.expectedMs + readMs },
    state: { ...state, processes },
  };
}
