import type { PeakMappings } from '../model/run.js';
import { usageByMapping } from '../reduce/processBreakdown.js';
import { programName } from '../reduce/programName.js';
import type { ProcReader } from '../scan/procReader.js';
import { readProcessMappings } from '../scan/readProcessMappings.js';
import type { TreeSample } from '../sample/treeSampler.js';

/** smaps is read again at a new peak only this long after the last read, or when the tree grew by a tenth. */
const MAPPINGS_EVERY_MS = 250;
const MAPPINGS_GROWTH = 1.1;
const MAPPINGS_KEPT = 8;

/**
 * At the peak, where the process holding the most writable memory has it: its
 * full smaps, summed per backing (--mappings). Called for samples at the peak so far; smaps
 * costs a walk of every mapping, so it is read again only when the tree is well
 * past the last read, or a while after it (while the tree still sits at its peak).
 */
export function readPeakMappings(reader: ProcReader, sample: TreeSample, last: PeakMappings | undefined): PeakMappings | undefined {
  if (sample.members.length === 0) return undefined;
  if (last !== undefined && sample.writable <= last.treeWritable) return undefined;
  if (last !== undefined && sample.ms - last.ms < MAPPINGS_EVERY_MS && sample.writable < last.treeWritable * MAPPINGS_GROWTH) return undefined;
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
