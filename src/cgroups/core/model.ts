import type { Limit } from '../../kernel/cgroupfs/cgroupValue.js';
import type { OomEvents } from '../../kernel/cgroupfs/memoryEvents.js';
import type { MemoryStatV1 } from '../../kernel/cgroupfs/memoryStatV1.js';
import type { MemoryStatV2 } from '../../kernel/cgroupfs/memoryStatV2.js';
import type { ProcessSample } from '../../model/processSample.js';

export { CGROUPS_SCHEMA } from '../../model/schemas.js';

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

/** One cgroup's memory files, parsed; a file the kernel lacks is undefined, one that failed is in `unreadable`. */
export interface CgroupFiles {
  /** "/" for the hierarchy's top, else "/a/b". */
  path: string;
  /** Levels below the hierarchy's top: 0 for it. */
  depth: number;
  /** Whether its memory files were read (within --depth), or only its members. */
  read: boolean;
  statV1?: MemoryStatV1;
  statV2?: MemoryStatV2;
  /** v2 memory.current. */
  current?: number;
  /** v1 memory.usage_in_bytes and memory.kmem.usage_in_bytes. */
  usage?: number;
  kmem?: number;
  limits: CgroupLimits;
  peak?: number;
  oom?: OomEvents;
  /** Its own member processes (cgroup.procs), undefined where unreadable. */
  procs?: number[];
  unreadable: string[];
}

export interface CgroupTree {
  version: 1 | 2;
  /** Parent before child, children by name. */
  cgroups: CgroupFiles[];
  /** Cgroups left unread past the walk's bound. */
  leftOut: number;
}

export interface UnmeasuredMembers {
  /** Kernel threads: they sit in the root cgroup, own no memory and are no one's processes, so they are left out of a cgroup's process count rather than shown as unmeasured. */
  kernelThreads: Set<number>;
  /** What the OOM killer weighs of the others, which any user may read: oom_score (and oom_score_adj), and the name. */
  candidates: Map<number, OomCandidate>;
}

/** One cgroup's OOM kill count and its own member processes, at one moment. */
export interface CgroupOomCount {
  /** v2 memory.events oom_kill (this cgroup and its descendants); v1 memory.oom_control oom_kill (this cgroup alone). */
  oomKills?: number;
  /** cgroup.procs: its own members. */
  procs?: readonly number[];
}

/** The OOM kill counters of the machine and of every memory cgroup, read together. */
export interface OomCounts {
  /** /proc/vmstat oom_kill, read after the cgroups' counters; undefined where the kernel has none or it is unreadable. */
  machine?: number;
  /** /proc/vmstat oom_kill read before them: kills in between may come after their cgroup was read (attributeKills). */
  machineBeforeWalk?: number;
  /** By cgroup path ("/", "/a/b", each name as bytesToText keeps it); empty without a memory hierarchy. */
  cgroups: Map<string, CgroupOomCount>;
  /** Cgroups the walk could not visit (each counted), and why (a few): their kills are outside the cgroups read. */
  unread?: { cgroups: number; reasons: string[] };
}

/** What the OOM killer weighs of a process: a measured one's sample, or an unmeasured member's world-readable files. */
export type OomCandidate = Pick<ProcessSample, 'pid' | 'statusName' | 'oomScore' | 'oomExempt'>;
