import { isKernelThread, parseStat } from '../kernel/procfs/stat.js';
import type { ProcReader } from '../kernel/procReader.js';
import { scannedFromStat } from '../budget/scannedFromStat.js';
import type { ScannedProcess } from '../budget/planReads.js';

/**
 * The read budget's first pass (docs/budget.md, Integration 1): each listed
 * process's stat, which costs no walk, as the planner needs it (PID, start time,
 * comm, resident bytes). Kernel threads and zombies are left out, as the scan
 * leaves them; so is a process whose stat cannot be read or parsed now (the
 * scan says why, and, being unplanned, reads it exactly).
 */
export function statForPlan(reader: ProcReader, pids: readonly number[], pageSize: number, selfPid?: number): ScannedProcess[] {
  const processes: ScannedProcess[] = [];
  for (const pid of pids) {
    if (pid === selfPid) continue;
    const text = reader.read(`${pid}/stat`);
    if (!text.ok) continue;
    const stat = parseStat(text.text);
    if (!stat.ok || isKernelThread(stat.value) || stat.value.state === 'Z' || stat.value.state === 'X') continue;
    processes.push(scannedFromStat(stat.value, pageSize));
  }
  return processes;
}
