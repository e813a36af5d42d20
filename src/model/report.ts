import type { MemoryFigures } from './memoryFigures.js';
import type { ScanCounts, SmapsSource } from './processSample.js';
import type { OomMark } from './oomMark.js';

import { REPORT_SCHEMA } from './schemas.js';

export { REPORT_SCHEMA };

/** What processes are grouped by, in the order --help lists them. */
export const GROUPINGS = ['program', 'cmdline', 'pid', 'user', 'cgroup'] as const;
export type GroupBy = (typeof GROUPINGS)[number];

/**
 * The groupings `serve` and `export` offer: never a command line or a PID by
 * default, since command lines carry secrets into every dashboard.
 */
export const FLEET_GROUPINGS = ['program', 'user', 'cgroup'] as const satisfies readonly GroupBy[];

export interface ProgramGroup extends MemoryFigures {
  name: string;
  count: number;
  pids: number[];
  /** Figures read from status because smaps was not readable (--estimate). */
  estimated: boolean;
  /** --group cgroup: the memory cgroup's own figures, where its hierarchy was found. */
  cgroup?: GroupCgroup;
}

/**
 * A group's memory cgroup, as `footprint cgroups` reads it: the charge (v2
 * memory.current; v1 total_rss + total_cache of memory.stat, + kmem), the
 * limits, and the headroom against the kernel's own counter. A figure footprint
 * could not read is absent, with why in `unknown`: never 0.
 */
export interface GroupCgroup {
  /** Its path from the hierarchy's top; absent where its members are in more than one (or none is known). */
  path?: string;
  version?: 1 | 2;
  charge?: number;
  chargeSource?: 'memory.current' | 'memory.stat+kmem' | 'memory.stat';
  /** v2 memory.max, v1 memory.limit_in_bytes: null for none. */
  limit?: number | null;
  /** v2 memory.high, v1 memory.soft_limit_in_bytes: null for none. */
  high?: number | null;
  /** limit - the kernel's counter (v2 memory.current, v1 usage_in_bytes). */
  headroom?: number;
  /** What could not be read, and why: "memory.stat: not permitted". */
  unknown?: string[];
}

/** A cgroup holding part of the page cache or the slab: what is charged to it, not to its children. */
export interface CgroupHolding {
  path: string;
  bytes: number;
}

/** The cgroups that hold most of the page cache and the slab (top 3 each), where a memory hierarchy was found. */
export interface SystemCgroups {
  version: 1 | 2;
  /** v2 memory.stat file; v1 cache (both hold tmpfs and shm). */
  pageCache: CgroupHolding[];
  /** v2 memory.stat slab; absent on v1, whose memory.stat has no slab figure. */
  slab?: CgroupHolding[];
  /** Cgroups whose memory.stat could not be read. */
  unreadable: number;
}

/** The figures whose row says inTotals: all but privateClean and oomScore. */
export type ReportTotals = Omit<MemoryFigures, 'privateClean' | 'oomScore'>;

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
  /** Where the page cache and slab are charged, by cgroup; absent where no memory hierarchy could be read. */
  cgroups?: SystemCgroups;
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
  /** --group cgroup where no memory hierarchy was found: why the groups have no cgroup figures. */
  cgroupsUnknown?: string;
}
