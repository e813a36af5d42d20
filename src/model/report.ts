import type { MemoryFigures } from './memoryFigures.js';
import type { ScanCounts, SmapsSource } from './processSample.js';
import type { OomMark } from './oomMark.js';

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

/** Stable keys of the parts of used memory (see reduce/systemMemory.ts). */
export const SYSTEM_PART_KEYS = [
  'anon', 'shmem', 'unevictableCache', 'slabUnreclaimable', 'kernelStacks', 'pageTables', 'percpu', 'vmalloc',
  'hugetlb', 'kernelReserve', 'cacheHeldBack', 'reclaimableHeldBack', 'perCpuLists', 'uncounted',
] as const;
export type SystemPartKey = (typeof SYSTEM_PART_KEYS)[number];

/** A part of used memory (MemTotal - MemAvailable), in bytes. */
export interface SystemPart {
  key: SystemPartKey;
  label: string;
  bytes: number;
  /** anon and shmem: how much of it the measured processes hold (Pss_Anon, Pss_Shmem; Linux 5.7+). */
  measured?: number;
}

export interface SystemMemory {
  memTotal: number;
  memAvailable: number;
  /** MemTotal - MemAvailable. */
  used: number;
  shmem: number;
  /** What the measured processes account for: the sum of their RAM used. */
  accounted: number;
  /** used, part by part: they add up to it (within what moves between two reads). Absent in older reports. */
  parts?: SystemPart[];
  /** Parts that could not be sized (no /proc/zoneinfo in a captured tree, no MemAvailable); absent when none. */
  partsUnknown?: SystemPartKey[];
}

/**
 * Processes that exist but that this /proc does not list to footprint: a procfs
 * mounted with hidepid=invisible (2) or ptraceable (4) hides other users'.
 */
export interface HiddenProcesses {
  /** The mount option, as /proc/self/mountinfo prints it: "hidepid=invisible", "hidepid=2", ... */
  by: string;
  /**
   * Tasks the kernel counts (/proc/loadavg: every thread, kernel threads
   * included) beyond the threads of the processes footprint could see (stat
   * field 20), read moments apart: so many tasks, and up to so many processes
   * (each has one thread at least), are invisible. Absent when loadavg could not be read.
   */
  tasks?: number;
}

/** The scan's counts as a report holds them: `malformed` is absent in reports made before it, `hidden` where nothing was hidden. */
export type ReportScan = Omit<ScanCounts, 'malformed'> & { malformed?: number; ms: number; hidden?: HiddenProcesses };

/** The document `--json` prints and `save` stores: the footprint.report/1 contract. */
export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: string;
  host: string;
  kernel: string;
  time: string;
  source: SmapsSource | 'rss-only';
  groupBy: GroupBy;
  scan: ReportScan;
  groups: ProgramGroup[];
  totals: ReportTotals;
  system: SystemMemory;
  /** Only in an OOM report: the scan before an OOM kill, saved by watch or serve when they saw it. */
  oom?: OomMark;
}
