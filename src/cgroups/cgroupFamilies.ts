import { buildCgroupRows } from './core/cgroupRows.js';
import { readCgroupTree } from './readCgroupTree.js';
import type { MetricFamily } from '../model/metrics.js';
import { findHierarchy } from './findHierarchy.js';
import { UsageError } from '../errors.js';
import type { ProcReader } from '../kernel/procReader.js';
import { findLiveHierarchy, type LiveHierarchy } from './liveHierarchy.js';
import { readOomCounts, type OomCounts } from './readOomCounts.js';
import { cgroupMetrics, oomKillsBySubtree } from './core/cgroupMetrics.js';

/**
 * The cgroup families of one scrape: the memory files of the cgroups down to
 * `depth` (readCgroupTree), the kill counters of the reading given (the whole
 * tree's, so that v1's deeper kills are summed into the cgroups shown). Without
 * a memory hierarchy the families are there, with no series.
 */
export function readCgroupFamilies(hierarchy: LiveHierarchy | undefined, depth: number, counts: OomCounts): MetricFamily[] {
  if (hierarchy === undefined) return cgroupMetrics({ version: 2, kills: 'subtree', rows: [], oomKills: new Map(), machineOomKills: counts.machine });
  const tree = readCgroupTree(hierarchy.reader, { version: hierarchy.version, maxDepth: depth, memoryFilesOnly: true });
  return cgroupMetrics({
    version: hierarchy.version,
    kills: hierarchy.kills,
    rows: buildCgroupRows(tree, undefined),
    oomKills: oomKillsBySubtree(counts.cgroups, hierarchy.kills),
    machineOomKills: counts.machine,
  });
}

/**
 * export's cgroup families: the mounted hierarchy (none with a captured
 * --proc-root alone), or a captured --cgroup-root; the machine's kills from
 * the /proc read (a captured tree's vmstat, where it has one).
 */
export function exportCgroupFamilies(proc: ProcReader, options: { depth: number; cgroupRoot?: string; live: boolean }): MetricFamily[] {
  let hierarchy: LiveHierarchy | undefined;
  if (options.cgroupRoot !== undefined) {
    const found = findHierarchy(undefined, options.cgroupRoot);
    if (!found.ok) throw new UsageError(found.reason);
    hierarchy = { reader: found.reader, version: found.mount.version, kills: found.mount.kills };
  } else if (options.live) {
    hierarchy = findLiveHierarchy();
  }
  return readCgroupFamilies(hierarchy, options.depth, readOomCounts(proc, hierarchy, false));
}
