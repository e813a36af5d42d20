import type { ProcReader } from '../kernel/procReader.js';
import type { ProcessSample } from '../model/processSample.js';
import type { BudgetKnobs } from '../budget/budgetKnobs.js';
import { emptyBudgetState, recordReads, type BudgetState } from '../budget/budgetState.js';
import { planReads, type ReadPlan } from '../budget/planReads.js';
import { tallyPlan } from '../budget/planTally.js';
import { addTally, emptyBudgetTotals, readOutcomes, type BudgetReport, type BudgetTotals } from '../budget/budgetReport.js';
import { processKey } from '../budget/budgetState.js';
import { budgetStateText, type KeptBudget } from '../budget/budgetStateText.js';
import { residentWithinMs, WALK_LEARNED_FROM_BYTES } from '../budget/readCost.js';
import { admitUnplanned } from '../budget/unplanned.js';
import { scannedFromSamples } from '../budget/scannedFromSamples.js';
import type { ScannedProcess } from '../budget/planReads.js';
import { readPageSize } from '../scan/pageSize.js';
import { statForPlan } from '../scan/statForPlan.js';
import type { PlannedRead, PlannedSkip, ScanPlan } from '../scan/scanPlan.js';
import { listProcesses, type ScanOptions } from '../scan/scanProcesses.js';

/**
 * The read budget of a command that scans again and again (serve, watch): its
 * state from scan to scan (budget/budgetState.ts), held here and only here, on
 * the main thread. Each scan: the stat of every process (no walk), the plan
 * (budget/planReads.ts) handed to the scan as data (scan/scanPlan.ts), then the
 * reads the scan made folded back into the state. docs/budget.md.
 */
export class ReadBudget {
  private state: BudgetState;
  private totals: BudgetTotals;
  private pageSize: number | undefined;
  /** The last scan's processes, from its samples: the next plan's, with no stat pass (scannedFromSamples). */
  private lastScan: ScannedProcess[] | undefined;

  /** `kept`: what an earlier run kept (export's --budget-state), its counters' totals to add to; else every process is new, every total 0. */
  constructor(readonly knobs: BudgetKnobs, kept?: KeptBudget, private readonly now: () => number = Date.now) {
    this.state = kept?.state ?? emptyBudgetState();
    this.totals = kept?.totals ?? emptyBudgetTotals();
  }

  /** The state and the totals as a text, for a run that keeps them in a file (budgetStateText). */
  stateText(): string {
    return budgetStateText(this.state, this.totals);
  }

  /**
   * This scan's plan: from the last scan's processes (their sizes as it read or carried them), or, for the
   * first scan (and export's each run), from the stat of every process the scan will list. A process the
   * plan does not list is decided at scan time, from its stat, as a new one.
   */
  plan(reader: ProcReader, options: ScanOptions): { scan: ScanPlan; reads: ReadPlan; started: bigint } {
    const started = process.hrtime.bigint();
    this.pageSize ??= readPageSize(reader, reader.bindsProcesses ? process.pid : undefined) ?? 4096;
    const nowNs = process.hrtime.bigint();
    const nowMs = this.now();
    const processes = this.lastScan ?? statForPlan(reader, listProcesses(reader, options), this.pageSize, options.selfPid);
    const { plan, state } = planReads(processes, this.state, this.knobs, nowMs);
    this.state = state;
    const skip = new Map<number, PlannedSkip>();
    const read = new Map<number, PlannedRead>();
    for (const decision of plan.decisions) {
      const record = state.processes.get(processKey(decision.pid, decision.startTime));
      const exact = record?.exact;
      if (decision.read) {
        const small = decision.reason === 'small';
        read.set(decision.pid, small && exact !== undefined ? { startTime: decision.startTime, small, exact } : { startTime: decision.startTime, small });
        continue;
      }
      skip.set(decision.pid, exact === undefined ? { startTime: decision.startTime, firstSeenAtMs: record?.firstSeenAtMs } : { startTime: decision.startTime, exact });
    }
    // A process that starts after the stat pass is new: read at once unless already over the bound, as the plan would.
    const newOverRssPages = this.knobs.exact ? Infinity : Math.floor(residentWithinMs(state.machine, this.knobs.maxReadMs) / this.pageSize);
    // Nor is one read ahead that the scan may yet carry (grown past the bound since the plan: a tiny --max-read-ms).
    const inLineFromRssPages = Math.min(Math.ceil(WALK_LEARNED_FROM_BYTES / this.pageSize), newOverRssPages + 1);
    return { scan: { nowMs, nowNs, skip, read, newOverRssPages, inLineFromRssPages }, reads: plan, started };
  }

  /**
   * The scan's exact reads folded into the state, each stamped when it was made; what the report says of the
   * budget. The processes the plan did not list join it as the scan decided them. Called once the report is
   * built: its wall time counts from the plan to here.
   */
  record(samples: readonly ProcessSample[], planned: { reads: ReadPlan; started: bigint }): BudgetReport {
    const scanSeconds = Number(process.hrtime.bigint() - planned.started) / 1e9;
    const nowMs = this.now();
    const admitted = admitUnplanned(planned.reads, samples, this.state, nowMs);
    const reads = admitted.plan;
    this.state = admitted.state;
    const outcomes = readOutcomes(samples, nowMs);
    this.state = recordReads(this.state, outcomes, nowMs);
    this.lastScan = scannedFromSamples(samples, this.state);
    const tally = tallyPlan(reads, outcomes);
    this.totals = addTally(this.totals, tally, scanSeconds);
    return { byPid: new Map(samples.map((sample) => [sample.pid, sample])), scan: tally, totals: this.totals };
  }
}
