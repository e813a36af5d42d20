import { shellCommandLine } from './shellQuote.js';
import { addFigures, zeroFigures } from '../model/memoryFigures.js';
import type { ProcessSample } from '../model/processSample.js';
import type { GroupBy, ProgramGroup } from '../model/report.js';
import { figuresFromCounters } from './figuresFromCounters.js';
import { programName } from './programName.js';

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
  return [...groups.values()];
}
