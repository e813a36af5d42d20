import type { ProcessSample } from '../model/processSample.js';
import { processKey, type BudgetState, type ProcessBudget } from './budgetState.js';
import type { ReadDecision, ReadPlan } from './planReads.js';
import { expectedReadMs } from './readCost.js';

/**
 * What the scan decided that its plan did not (scan/scanPlan.ts):
 * - the processes it measured that the plan did not list (started after the plan
 *   was made, or under a PID reused since), each decided as the plan decides a new
 *   process: read at once ('small'), or already over the bound and from status
 *   ('newOverBound'). They join the state as if the plan had seen them, first seen
 *   now, so that their exact reads are recorded and their refresh clock runs;
 * - a read planned within the bound, at the size the plan knew, of a process that
 *   had grown past the bound by the scan: not made ('spaced': it moved, and the
 *   next plan decides it as such).
 * Their decisions join, or replace, the plan's for the scan's tally.
 */
export function admitUnplanned(
  plan: ReadPlan, samples: readonly ProcessSample[], state: BudgetState, nowMs: number,
): { plan: ReadPlan; state: BudgetState } {
  const planned = new Map<number, number>();
  for (let index = 0; index < plan.decisions.length; index++) planned.set(plan.decisions[index].pid, index);
  let processes: Map<string, ProcessBudget> | undefined;
  let replaced: ReadDecision[] | undefined;
  const decisions: ReadDecision[] = [];
  for (const sample of samples) {
    if (sample.basis === undefined) continue;
    const index = planned.get(sample.pid);
    const decision = index === undefined ? undefined : plan.decisions[index];
    if (decision !== undefined && decision.startTime === sample.startTime) {
      if (decision.read && sample.basis !== 'exact') {
        replaced ??= [...plan.decisions];
        replaced[index!] = { pid: decision.pid, startTime: decision.startTime, expectedMs: decision.expectedMs, read: false, reason: 'spaced', basis: sample.basis };
      }
      continue;
    }
    const key = processKey(sample.pid, sample.startTime);
    processes ??= new Map(state.processes);
    if (processes.has(key)) continue;
    const residentBytes = sample.counters.rss;
    processes.set(key, {
      pid: sample.pid, startTime: sample.startTime, name: sample.statusName,
      firstSeenAtMs: nowMs, firstSeenScan: state.scan,
    });
    const expectedMs = expectedReadMs(residentBytes, state.machine);
    decisions.push(sample.basis === 'exact'
      ? { pid: sample.pid, startTime: sample.startTime, expectedMs, read: true, reason: 'small' }
      : { pid: sample.pid, startTime: sample.startTime, expectedMs, read: false, reason: 'newOverBound', basis: 'status' });
  }
  if (decisions.length === 0 && replaced === undefined) return { plan, state };
  const readMs = decisions.reduce((sum, decision) => sum + (decision.read ? decision.expectedMs : 0), 0);
  return {
    plan: { ...plan, decisions: [...(replaced ?? plan.decisions), ...decisions], expectedMs: plan.expectedMs + readMs },
    state: processes === undefined ? state : { ...state, processes },
  };
}
