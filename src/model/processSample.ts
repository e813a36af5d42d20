import type { MemoryCounters } from '../kernel/procfs/memoryCounters.js';

/** One process as measured by a scan. */
export interface ProcessSample {
  pid: number;
  /** Clock ticks since boot (stat field 22): PID + start time identify a process. */
  startTime: number;
  ppid: number;
  /** Real UID, where status was read (--user, --group user, estimates, capture). */
  uid?: number;
  /** The kernel's 15-character name (status `Name:`, or stat's comm); untrusted. */
  statusName: string;
  /** readlink(/proc/PID/exe) without " (deleted)"; absent where it cannot be read. */
  exe?: string;
  exeDeleted: boolean;
  /** Untrusted arguments. */
  cmdline: string[];
  /** Set when grouping by cgroup. */
  cgroup?: string;
  /** Set with `cgroup`: its memory cgroup's path, on a v1 host (the memory controller's line) and on v2 (the "0::" line). */
  memoryCgroup?: { v1?: string; v2?: string };
  counters: MemoryCounters;
  /** /proc/PID/oom_score (see scan/readOomScore.ts); absent where unknown. */
  oomScore?: number;
  /** oom_score_adj is -1000: never the OOM killer's pick. */
  oomExempt?: true;
  /** True when the figures come from status (smaps not readable, --estimate; or over --rollup-max-rss; or a read budget's process with no exact read yet). */
  estimated: boolean;
  /**
   * Under a read budget (docs/budget.md): where the figures come from: read
   * exactly this scan, carried forward from the last exact read, or from status
   * (no exact read yet). Absent for a scan without a plan (every process exact).
   */
  basis?: FigureBasis;
  /** Under a read budget: how old the exact read under the figures is, ms (0: this scan); absent for 'status'. */
  exactAgeMs?: number;
  /** Under a read budget, for 'status' (no exact read yet): how long since the budget first saw the process, ms. */
  unreadForMs?: number;
  /** How long the exact read (smaps_rollup) took, ms: under a read budget, or asked for (--timing). */
  readMs?: number;
  /** Under a read budget: when the exact read was made (the plan's clock, ms): the age of the figures carried from it counts from here. */
  readAtMs?: number;
}

/** Where a process's figures come from under a read budget (budget/carryForward.ts). */
export type FigureBasis = 'exact' | 'carried' | 'status';

/** What a scan saw, by outcome. seen = measured + kernelThreads + zombies + denied + gone + malformed + self. */
export interface ScanCounts {
  seen: number;
  measured: number;
  kernelThreads: number;
  denied: number;
  gone: number;
  zombies: number;
  estimated: number;
  /** Left out because a file of theirs is malformed (a crafted or broken captured tree). */
  malformed: number;
}

export type SmapsSource = 'smaps_rollup' | 'smaps';

export interface ScanResult {
  samples: ProcessSample[];
  counts: ScanCounts;
  /** Of the denied processes, how many belong to a user other than the one scanning. */
  deniedOtherUsers: number;
  /** Of the measured processes, how many were over the --rollup-max-rss ceiling and estimated from status. */
  overRollupCeiling: number;
  /** footprint's own PID when it was left out of a live scan. */
  selfPid?: number;
  /** PIDs asked for by number (-p) that were not there: no such process (counted as gone). */
  absentPids?: number[];
  source: SmapsSource;
  ms: number;
  /** What was wrong with the first malformed process, for the warning that names it. */
  malformedDetail?: string;
  /** Threads of the processes whose stat was read (footprint's own where countSelfThreads): what /proc shows of loadavg's task count. */
  visibleThreads: number;
}
