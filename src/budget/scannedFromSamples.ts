import type { ProcessSample } from '../model/processSample.js';
import { processKey, type BudgetState } from './budgetState.js';
import type { ScannedProcess } from './planReads.js';

/** A name as status gives it (escaped) or as stat does (raw) may differ for a comm with a backslash or a control character. */
const ESCAPED_OR_RAW = /[\\\x00-\x1f\x7f]/;

/**
 * The processes of a scan as the next plan needs them, from its samples, with no
 * pass over /proc of its own (docs/budget.md): PID, start time, name, and the
 * resident size the scan read or carried (its counters' Rss). A process started
 * since is not among them: the scan decides it as it decides any process the plan
 * does not list. A sample's name is status's (escaped) where the scan read status
 * and stat's (raw) where not: where the two could differ, the name the state knows
 * is kept, so that a change of basis does not read as an exec.
 */
export function scannedFromSamples(samples: readonly ProcessSample[], state: BudgetState): ScannedProcess[] {
  const processes: ScannedProcess[] = [];
  for (const sample of samples) {
    if (sample.basis === undefined) continue;
    let name = sample.statusName;
    if (ESCAPED_OR_RAW.test(name)) name = state.processes.get(processKey(sample.pid, sample.startTime))?.name ?? name;
    processes.push({ pid: sample.pid, startTime: sample.startTime, name, residentBytes: sample.counters.rss });
  }
  return processes;
}
