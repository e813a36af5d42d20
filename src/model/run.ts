import { RUN_SCHEMA } from './schemas.js';

export { RUN_SCHEMA };

/** A sample of the run's tree, as the document keeps it: bytes, `ms` since CMD started. */
export interface RunSample {
  ms: number;
  writable: number;
  private: number;
  shared: number;
  ram: number;
  swap: number;
  processes: number;
}

/** A line of CMD's output that matched --mark, at the moment it was written. */
export interface RunMark {
  ms: number;
  text: string;
  /**
   * The tree's writable memory and RAM used in the sample the mark triggered, and
   * the writable memory's change since the previous mark (the first mark's: since
   * the first sample that measured CMD). Absent in documents of older footprints,
   * and where no process of the tree could be measured.
   */
  writable?: number;
  ram?: number;
  change?: number;
}

/** How often footprint really sampled: measured, never the planned spacing. */
export interface RunSampling {
  /** Full samples (smaps_rollup of every member) taken. */
  samples: number;
  /** The longest and the median gap between two consecutive full samples, from their own times (ms). */
  longestGapMs: number;
  medianGapMs: number;
  /** Probes (statm of every member, no page-table walk) between full samples, and how many a second. */
  probes: number;
  probesPerSecond: number;
  /** The longest gap between two probes, ms. */
  probeLongestGapMs: number;
  /**
   * Full samples taken at once because the probe saw a new high, a change of RSS (down too), a new
   * member of the tree, or a mark line came; the rest were the regular ones.
   */
  triggered: { high: number; change: number; newMember: number; mark: number };
}

/** Figures the kernel keeps itself: exact, unlike the sampled ones. */
export interface RunKernelFigures {
  /**
   * The largest VmHWM of a process of the tree: the kernel's exact peak RSS of that
   * one process (read at each full sample from its largest member's status). For a
   * tree of one process it is the tree's exact peak RSS.
   */
  vmHwm?: { bytes: number; pid: number };
  /** The run's own memory cgroup (as root): the kernel's peak charge of every member, and memory.stat at the end. */
  cgroup?: { peak: number; anon: number; file: number; shmem: number; kernel?: number; source: string };
}

/** run --mappings: where the process holding the most writable memory had it, read at a peak. */
export interface PeakMappings {
  pid: number;
  name: string;
  /** When it was read, with the sample at the run's peak (or, past the read budget, the last read), and the tree's writable memory then. */
  ms: number;
  treeWritable: number;
  /** The backings with the most private dirty memory, largest first (as `show --mappings` names them). */
  mappings: { name: string; writable: number }[];
}

/** What `footprint run --json FILE` writes: the footprint.run/1 contract. */
export interface RunDocument {
  schema: typeof RUN_SCHEMA;
  tool: string;
  command: string[];
  /** CMD's exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: string | null;
  wallMs: number;
  userMs: number;
  sysMs: number;
  /** The sample with the most writable memory; ram and rss are the peaks of their own figures. */
  peak: { writable: number; ram: number; rss: number; ms: number; processes: number };
  /** The last sample taken while CMD lived. */
  end: { writable: number; ram: number };
  /** The whole tree's, from the kernel's accounting of reaped children. */
  faults: { minor: number; major: number };
  processesSeen: number;
  /** The first sampling interval; it doubles as a long run's timeline thins. */
  intervalMs: number;
  samples: RunSample[];
  marks: RunMark[];
  /** Only with --mappings, and only when a peak's process could be read. */
  peakMappings?: PeakMappings;
  /** The measured spacing (absent in documents of older footprints). */
  sampling?: RunSampling;
  kernel?: RunKernelFigures;
  /** Processes that left the PPid tree (double fork, setsid) and were followed: by FOOTPRINT_RUN in their environment, or as members of the run's cgroup. */
  followed?: number;
  /** Why the run had no cgroup of its own (--no-cgroup, not root, ...); absent when it had one. */
  noCgroup?: string;
  /** Samples in which every process of the tree was unreadable (another user's, or a setuid program's: EACCES). */
  deniedSamples?: number;
}
