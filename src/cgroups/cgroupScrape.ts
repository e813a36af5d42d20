import type { MetricFamily } from '../model/metrics.js';
import type { Report } from '../model/report.js';
import type { ProcReader } from '../kernel/procReader.js';
import { findLiveHierarchy, type LiveHierarchy } from './liveHierarchy.js';
import { OomWatch } from './oomWatch.js';
import { readOomCounts } from './readOomCounts.js';
import { readCgroupFamilies } from './cgroupFamilies.js';
import { RemovedCgroupKills } from './core/removedCgroupKills.js';

export interface CgroupScrapeOptions {
  /** false with --proc-root: a captured tree has no live cgroups to read, nor kills to notice. */
  live: boolean;
  depth: number;
  /** The report directory for OOM reports. */
  dir: string;
  who: string;
  warn: (line: string) => void;
}

/**
 * serve's cgroup side of a scrape: after each scan the kill counters are read
 * once, for noticing OOM kills (OomWatch: the report before a kill saved) and
 * for the cgroup families.
 */
export class CgroupScrape {
  /** Counters of a cgroup's own kills (v1, or v2 with memory_localevents): removed cgroups' kills kept in their ancestors, so every subtree's counter only rises while serve runs. */
  private readonly removedKills = new RemovedCgroupKills();

  private constructor(private readonly hierarchy: LiveHierarchy | undefined, private readonly depth: number, private readonly oom: OomWatch | undefined) {}

  static start(options: CgroupScrapeOptions): CgroupScrape {
    if (!options.live) return new CgroupScrape(undefined, options.depth, undefined);
    const hierarchy = findLiveHierarchy();
    return new CgroupScrape(hierarchy, options.depth, OomWatch.start({ dir: options.dir, who: options.who, warn: options.warn, hierarchy }));
  }

  families(report: Report, proc: ProcReader): MetricFamily[] {
    const counts = this.oom === undefined ? readOomCounts(proc, undefined) : this.oom.afterScan(report, proc);
    if (this.hierarchy?.kills !== 'own') return readCgroupFamilies(this.hierarchy, this.depth, counts);
    return readCgroupFamilies(this.hierarchy, this.depth, { ...counts, cgroups: this.removedKills.apply(counts.cgroups) });
  }

  close(): void {
    this.oom?.close();
  }
}
