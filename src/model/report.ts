import type { MemoryFigures } from './memoryFigures.js';
import type { ScanCounts, SmapsSource } from './processSample.js';

export const REPORT_SCHEMA = 'footprint.report/1';

export type GroupBy = 'program' | 'cmdline' | 'pid' | 'user' | 'cgroup';

export interface ProgramGroup extends MemoryFigures {
  name: string;
  count: number;
  pids: number[];
  /** Figures read from status because smaps was not readable (--estimate). */
  estimated: boolean;
}

export type ReportTotals = Omit<MemoryFigures, 'privateClean'>;

export interface SystemMemory {
  memTotal: number;
  memAvailable: number;
  /** MemTotal - MemAvailable. */
  used: number;
  shmem: number;
  /** What the measured processes account for: the sum of their RAM used. */
  accounted: number;
}

/** The document `--json` prints and `save` stores: the footprint.report/1 contract. */
export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: string;
  host: string;
  kernel: string;
  time: string;
  source: SmapsSource | 'rss-only';
  groupBy: GroupBy;
  scan: ScanCounts & { ms: number };
  groups: ProgramGroup[];
  totals: ReportTotals;
  system: SystemMemory;
}
