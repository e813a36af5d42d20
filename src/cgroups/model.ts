import type { Limit } from '../kernel/cgroupfs/cgroupValue.js';
import type { OomEvents } from '../kernel/cgroupfs/memoryEvents.js';

export { CGROUPS_SCHEMA } from '../model/schemas.js';

/** Stable keys of a cgroup's charge, part by part (the JSON's `parts[].key`). */
export const CGROUP_PART_KEYS = [
  'anon', 'shmem', 'fileActive', 'fileInactive', 'fileOffLru',
  'slabReclaimable', 'slabUnreclaimable', 'kernelStacks', 'pageTables', 'percpu', 'vmalloc', 'zswap', 'kernelOther',
  'kernel', 'sock', 'uncounted',
] as const;
export type CgroupPartKey = (typeof CGROUP_PART_KEYS)[number];

/** A part of a cgroup's charge, in bytes. */
export interface CgroupPart {
  key: CgroupPartKey;
  /** What holds it, and the memory.stat fields it comes from: "page cache, inactive (inactive_file)". */
  label: string;
  bytes: number;
  /** Of the file parts, what is dirty and under writeback (details: within the file parts, not added). */
  dirty?: number;
  writeback?: number;
}

/** Where a cgroup's charge figure comes from. */
export type ChargeSource = 'memory.current' | 'memory.stat+kmem' | 'memory.stat';

/** A cgroup's charge split into parts that add up to it (see reduce chargeParts). */
export interface ChargeParts {
  charge: number;
  source: ChargeSource;
  parts: CgroupPart[];
  /** What could not be sized, said in words: "kernel memory (no memory.kmem.usage_in_bytes)". */
  unknown: string[];
  /** v1: the kernel's fuzzy counter (usage_in_bytes), beside the charge computed from the stats. */
  counter?: number;
  /** cAdvisor's and the kubelet's working set: charge - inactive file, never below 0. */
  workingSet: number;
  inactiveFile: number;
}

/** The processes' side of a cgroup: what its member processes' smaps_rollup say. */
export interface HeldByMembers {
  /** Member processes (cgroup.procs of it and its descendants), kernel threads left out. */
  processes: number;
  /** Of those, how many footprint could measure. */
  measured: number;
  /** Sums over the measured ones: writable = Private_Dirty. */
  writable: number;
  pss: number;
  /** Sums of Pss_Anon and Pss_Shmem, where every measured rollup has them (5.7+). */
  pssAnon?: number;
  pssShmem?: number;
}

export interface CgroupLimits {
  /** v2 memory.max; v1 memory.limit_in_bytes. null: none. undefined: unknown (no file). */
  max?: Limit;
  /** v2 memory.high (throttle above); v1 memory.soft_limit_in_bytes (reclaimed first above). */
  high?: Limit;
  /** v2 memory.low and memory.min (protection). */
  low?: Limit;
  min?: Limit;
}

/** One memory cgroup, as `footprint cgroups` shows it. */
export interface CgroupRow {
  /** Path from the hierarchy's root, "/" for it. */
  path: string;
  depth: number;
  version: 1 | 2;
  /** undefined where memory.stat could not be read (v2's root before it had one, or denied). */
  charge?: ChargeParts;
  limits: CgroupLimits;
  /** max - charge, and its share of max; undefined without a limit or a charge. */
  headroom?: number;
  headroomPercent?: number;
  /** v2 memory.peak (5.19+); v1 memory.max_usage_in_bytes: the kernel's own high-water mark of the counter. */
  peak?: number;
  oom?: OomEvents;
  /** undefined where membership is unknown (a captured tree without its /proc). */
  held?: HeldByMembers;
  /** Of its members (and its descendants'), the one the OOM killer would pick first; undefined where no member's oom_score is known. */
  nextVictim?: NextVictim;
  /** Files that could not be read, with why: "memory.stat: denied". */
  unreadable: string[];
}

/** The process the OOM killer would pick first in a cgroup (see cgroups/nextVictim.ts), by the members' oom_score. */
export interface NextVictim {
  /** null: no member it may pick (every one scored is exempt, oom_score_adj -1000, or init). */
  pid: number | null;
  /** Its kernel name (untrusted) and oom_score. */
  name?: string;
  oomScore?: number;
  /** How many members share that score, where more than one: the kernel takes the last it walks. */
  tied?: number;
  /** Members whose oom_score was read. */
  scored: number;
}
