import { MAX_COUNT } from '../kernel/procfs/memoryCounters.js';
import { processKey, type BudgetState, type ExactCounters, type ExactRead, type ProcessBudget } from './budgetState.js';
import type { CheapFigures } from './cheapFigures.js';
import type { MachineReadCost, WalkRate } from './readCost.js';
import { emptyBudgetTotals, type BudgetTotals } from './budgetReport.js';
import type { ReadReason, SkipReason } from './planReads.js';

/**
 * The budget's state as a text, for a mode whose scans are separate runs
 * (`export` from cron): written by the store's atomic writer, read back on the
 * next run. The text read back is untrusted (a file another user may have
 * written, or a broken one): every field is checked, every count bounded, and
 * anything wrong makes the whole state unusable (the run then starts afresh,
 * which costs a scan of status figures, never a wrong figure).
 *
 * Beside the state, the totals the budget's counters have reached (reads made and
 * skipped, their seconds, the scans): each run adds its own to them, so that the
 * *_total families of export's textfile are counters across cron runs, not one
 * run's figures. A state written without them starts them at 0 (a counter reset).
 */
export const BUDGET_STATE_SCHEMA = 'footprint.budget/1';
/** No machine has more processes: pid_max is at most 2^22. */
export const MAX_STATE_PROCESSES = 2 ** 22;
/** comm is 15 bytes; a name longer than this is not one the kernel gave. */
const MAX_NAME_LENGTH = 64;

export function budgetStateText(state: BudgetState, totals: BudgetTotals = emptyBudgetTotals()): string {
  return JSON.stringify({ schema: BUDGET_STATE_SCHEMA, scan: state.scan, machine: state.machine, totals, processes: [...state.processes.values()] });
}

/** What a run keeps for the next: the budget's state and its counters' totals. */
export interface KeptBudget {
  state: BudgetState;
  totals: BudgetTotals;
}

export type StateRead = ({ ok: true } & KeptBudget) | { ok: false; reason: string };

class Unusable extends Error {}

const fail = (reason: string): never => { throw new Unusable(reason); };

function objectAt(value: unknown, where: string): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : fail(`${where} is not an object`);
}

/** A finite number ≥ 0, at most `max`; an integer where asked. */
function numberAt(value: unknown, where: string, integer = false, max = MAX_COUNT): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max || (integer && !Number.isInteger(value))) return fail(`${where} is not a number from 0 to ${max}`);
  return value;
}

function walkRateAt(value: unknown, where: string): WalkRate {
  const rate = objectAt(value, where);
  return { walkMs: numberAt(rate.walkMs, `${where}.walkMs`), gib: numberAt(rate.gib, `${where}.gib`) };
}

function cheapAt(value: unknown, where: string): CheapFigures {
  const cheap = objectAt(value, where);
  const figures: CheapFigures = { anon: numberAt(cheap.anon, `${where}.anon`, true), fileAndShmem: numberAt(cheap.fileAndShmem, `${where}.fileAndShmem`, true) };
  if (cheap.swap !== undefined) figures.swap = numberAt(cheap.swap, `${where}.swap`, true);
  return figures;
}

const COUNTER_KEYS = ['rss', 'pss', 'sharedClean', 'sharedDirty', 'privateClean', 'privateDirty', 'privateHugetlb', 'sharedHugetlb', 'anonymous', 'swap'] as const;
const OPTIONAL_COUNTER_KEYS = ['swapPss', 'pssAnon', 'pssShmem', 'pssDirty'] as const;

function countersAt(value: unknown, where: string): ExactCounters {
  const counters = objectAt(value, where);
  const read = {} as ExactCounters;
  for (const key of COUNTER_KEYS) read[key] = numberAt(counters[key], `${where}.${key}`, true);
  for (const key of OPTIONAL_COUNTER_KEYS) if (counters[key] !== undefined) read[key] = numberAt(counters[key], `${where}.${key}`, true);
  return read;
}

function exactAt(value: unknown, where: string): ExactRead {
  const exact = objectAt(value, where);
  return { atMs: numberAt(exact.atMs, `${where}.atMs`), scan: numberAt(exact.scan, `${where}.scan`, true), counters: countersAt(exact.counters, `${where}.counters`), cheap: cheapAt(exact.cheap, `${where}.cheap`) };
}

const READ_REASONS: readonly ReadReason[] = ['exact', 'small', 'first', 'refresh', 'moved'];
const SKIP_REASONS: readonly SkipReason[] = ['fresh', 'spaced', 'overBudget', 'newOverBound'];
/** Reasons added after states were first written: a state written before has no count of them (from 0); one that has it, checked as any. */
const LATER_REASONS: ReadonlySet<string> = new Set<ReadReason>(['first']);

/** A count of `reason`, or 0 where a state written before the reason existed has none. */
function reasonCountAt(counts: Record<string, unknown>, reason: string, where: string): number {
  if (counts[reason] === undefined && LATER_REASONS.has(reason)) return 0;
  return numberAt(counts[reason], `${where}.${reason}`, true);
}

/** The counters' totals: a count per reason (integers), seconds, scans; absent (a state written before they were kept): from 0. */
function totalsAt(value: unknown, where: string): BudgetTotals {
  if (value === undefined) return emptyBudgetTotals();
  const totals = objectAt(value, where);
  const made = objectAt(totals.made, `${where}.made`);
  const skipped = objectAt(totals.skipped, `${where}.skipped`);
  const read = emptyBudgetTotals();
  for (const reason of READ_REASONS) read.made[reason] = reasonCountAt(made, reason, `${where}.made`);
  for (const reason of SKIP_REASONS) read.skipped[reason] = reasonCountAt(skipped, reason, `${where}.skipped`);
  read.seconds = numberAt(totals.seconds, `${where}.seconds`);
  read.scans = numberAt(totals.scans, `${where}.scans`, true);
  read.scanSeconds = numberAt(totals.scanSeconds, `${where}.scanSeconds`);
  return read;
}

function processAt(value: unknown, where: string): ProcessBudget {
  const record = objectAt(value, where);
  const name = typeof record.name === 'string' && record.name.length <= MAX_NAME_LENGTH ? record.name : fail(`${where}.name is not a name`);
  const budget: ProcessBudget = {
    pid: numberAt(record.pid, `${where}.pid`, true, MAX_STATE_PROCESSES),
    startTime: numberAt(record.startTime, `${where}.startTime`, true),
    name,
    firstSeenAtMs: numberAt(record.firstSeenAtMs, `${where}.firstSeenAtMs`),
    firstSeenScan: numberAt(record.firstSeenScan, `${where}.firstSeenScan`, true),
  };
  // A state written before first reads were spaced has firstResident and firstCheap (what a move of a process not read yet
  // was judged against): no longer used, and not kept.
  if (record.exact !== undefined) budget.exact = exactAt(record.exact, `${where}.exact`);
  if (record.walk !== undefined) budget.walk = walkRateAt(record.walk, `${where}.walk`);
  return budget;
}

/** The state a text holds, or why it cannot be used. The caller bounds the text's length (it is read with a cap). */
export function parseBudgetState(text: string): StateRead {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  try {
    const top = objectAt(document, 'the state');
    if (top.schema !== BUDGET_STATE_SCHEMA) return { ok: false, reason: `not ${BUDGET_STATE_SCHEMA}` };
    const machineObject = objectAt(top.machine, 'machine');
    const machine: MachineReadCost = { baseMs: numberAt(machineObject.baseMs, 'machine.baseMs'), walk: walkRateAt(machineObject.walk, 'machine.walk') };
    if (!Array.isArray(top.processes) || top.processes.length > MAX_STATE_PROCESSES) return { ok: false, reason: `processes is not a list of at most ${MAX_STATE_PROCESSES}` };
    const processes = new Map<string, ProcessBudget>();
    top.processes.forEach((value, index) => {
      const record = processAt(value, `processes[${index}]`);
      processes.set(processKey(record.pid, record.startTime), record);
    });
    const totals = totalsAt(top.totals, 'totals');
    return { ok: true, state: { scan: numberAt(top.scan, 'scan', true), machine, processes }, totals };
  } catch (error) {
    if (error instanceof Unusable) return { ok: false, reason: error.message };
    throw error;
  }
}
