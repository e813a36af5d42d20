import { shellCommandLine } from './shellQuote.js';
import { addFigures, zeroFigures } from '../model/memoryFigures.js';
import type { ProcessSample } from '../model/processSample.js';
import type { GroupBy, ProgramGroup } from '../model/report.js';
import { figuresFromCounters } from './figuresFromCounters.js';
import { programName } from './programName.js';
import { measuredNameOf } from './matchGroups.js';

/** Names the group a process belongs to under each grouping. */
export function groupKey(sample: ProcessSample, groupBy: GroupBy, userNames: ReadonlyMap<number, string>): string {
  switch (groupBy) {
    case 'program': return programName(sample);
    case 'cmdline': return sample.cmdline.length > 0 ? shellCommandLine(sample.cmdline) : `[${sample.statusName}]`;
    case 'pid': return `${programName(sample)} [${sample.pid}]`;
    case 'user': return sample.uid === undefined ? '?' : userNames.get(sample.uid) ?? String(sample.uid);
    case 'cgroup': return sample.cgroup ?? '?';
  }
}

/**
 * Sums processes into groups. Estimated processes never share a group with
 * measured ones, so an estimate is never passed off as a measurement.
 */
export function groupProcesses(
  samples: readonly ProcessSample[], groupBy: GroupBy, userNames: ReadonlyMap<number, string> = new Map(),
): ProgramGroup[] {
  const groups = new Map<string, ProgramGroup>();
  for (const sample of samples) {
    const name = groupKey(sample, groupBy, userNames);
    const key = `${sample.estimated ? 'E' : 'M'}${name}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { name, count: 0, pids: [], ...zeroFigures(), estimated: sample.estimated };
      groups.set(key, group);
    }
    group.count++;
    group.pids.push(sample.pid);
    addFigures(group, figuresFromCounters(sample.counters, sample));
  }
  const all = [...groups.values()];
  if (groupBy === 'program') nameEstimatesAsMeasured(all);
  return all;
}

/**
 * An estimated group keeps its program's name: `python3 x.py` (named from the
 * kernel's name, the exe link being unreadable) becomes `python3.11 x.py` where
 * that program is measured too; it stays a group of its own, marked estimated.
 */
function nameEstimatesAsMeasured(groups: ProgramGroup[]): void {
  const measured = new Set(groups.filter((group) => !group.estimated).map((group) => group.name));
  if (measured.size === 0) return;
  // Two estimated rows of one name would read as one program counted twice: such a name is left as it is.
  const estimated = new Set(groups.filter((group) => group.estimated).map((group) => group.name));
  for (const group of groups) {
    if (!group.estimated || measured.has(group.name)) continue;
    const name = measuredNameOf(group.name, measured);
    if (name === undefined || estimated.has(name)) continue;
    estimated.add(name);
    group.name = name;
  }
}
