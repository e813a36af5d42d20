import type { PeakMappings } from '../model/run.js';
import { usageByMapping } from '../reduce/processBreakdown.js';
import { programName } from '../reduce/programName.js';
import type { ProcReader } from '../kernel/procReader.js';
import { readProcessMappings } from '../scan/readProcessMappings.js';
import type { TreeSample } from '../sample/treeSampler.js';

const MAPPINGS_KEPT = 8;
/**
 * While the tree climbs, smaps is read at a new peak only once the last read is this many times its
 * own cost old (reads then take at most a tenth of the time): a climb's middle is not its peak.
 */
const MAPPINGS_SPACING = 10;
/**
 * All reads together, those at the top of a climb included, take at most this share of the run's time,
 * beyond a first allowance: a tree that climbs in many small steps is not read at every one.
 */
const MAPPINGS_BUDGET_SHARE = 0.1;
const MAPPINGS_BUDGET_ALLOWANCE_MS = 250;

/**
 * When to read smaps at the peak (--mappings). "At the peak" means at the sample with the most
 * writable memory of the run: the read is of that moment, so its figures and the peak's agree.
 * smaps costs a walk of every mapping, so in the middle of a climb the read waits (spacing); the
 * read that waited is made at once when the probe sees the climb stop (`atTop`), before the
 * process can free what it climbed to. Only the budget can leave the peak unread: then the
 * last read stands, with its own time and tree figure.
 */
export class PeakMappingsPlan {
  /** A new peak was sampled whose mappings were not read: the next sample at the top reads them. */
  behind = false;
  private lastReadAt = -Infinity;
  private lastCostMs = 0;
  private spentMs = 0;

  /** Whether a sample that holds the peak (`sample.writable` is the run's most so far) should have smaps read now. */
  due(sample: TreeSample, last: PeakMappings | undefined, nowMs: number, atTop: boolean): boolean {
    if (sample.members.length === 0) return false;
    if (last !== undefined && sample.writable <= last.treeWritable) return false;
    const spaced = nowMs - this.lastReadAt >= this.lastCostMs * MAPPINGS_SPACING;
    const withinBudget = this.spentMs <= nowMs * MAPPINGS_BUDGET_SHARE + MAPPINGS_BUDGET_ALLOWANCE_MS;
    if (spaced && withinBudget) return true;
    // At the top the read is made unless over budget; then it is given up, not tried at every probe.
    this.behind = !atTop;
    return atTop && withinBudget;
  }

  /** A read was made (whether it found the process or not): its cost counts, and nothing is behind now. */
  read(nowMs: number, costMs: number): void {
    this.lastReadAt = nowMs;
    this.lastCostMs = costMs;
    this.spentMs += costMs;
    this.behind = false;
  }

  /** A sample below the peak: the moment of the peak has passed, and a read now would not be of it. */
  leftPeak(): void {
    this.behind = false;
  }
}

/** The process holding the most writable memory at `sample`: its full smaps, summed per backing (--mappings). */
export function readPeakMappings(reader: ProcReader, sample: TreeSample): PeakMappings | undefined {
  if (sample.members.length === 0) return undefined;
  const largest = sample.members.reduce((a, b) => (b.writable > a.writable ? b : a));
  const read = readProcessMappings(reader, largest.pid);
  if (!read.ok || read.identity.startTime !== largest.startTime) return undefined;
  return {
    pid: largest.pid,
    name: programName(read.identity),
    ms: sample.ms,
    treeWritable: sample.writable,
    mappings: usageByMapping(read.mappings).slice(0, MAPPINGS_KEPT).filter((usage) => usage.privateDirty > 0)
      .map((usage) => ({ name: usage.name, writable: usage.privateDirty })),
  };
}
