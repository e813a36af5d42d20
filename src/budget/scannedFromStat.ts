import type { ProcessStat } from '../kernel/procfs/stat.js';
import type { ScannedProcess } from './planReads.js';

/**
 * A process as the planner needs it, from the stat the scan reads of every
 * process anyway: PID, start time, comm, and RSS in pages of `pageSize` bytes
 * (the page size the scan infers once, scan/pageSize.ts). No other read.
 */
export function scannedFromStat(stat: ProcessStat, pageSize: number): ScannedProcess {
  return { pid: stat.pid, startTime: stat.startTime, name: stat.comm, residentBytes: stat.rssPages * pageSize };
}
