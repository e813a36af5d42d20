export const RUN_SCHEMA = 'footprint.run/1';

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
}

/** run --mappings: where the process holding the most writable memory had it, read at a peak. */
export interface PeakMappings {
  pid: number;
  name: string;
  /** When it was read (at a new peak, at most every few hundred ms), and the tree's writable memory then. */
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
}
