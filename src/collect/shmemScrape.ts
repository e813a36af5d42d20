import type { ProcReader } from '../kernel/procReader.js';
import type { MetricFamily } from '../model/metrics.js';
import { shmemMetricFamilies } from '../holders/shmemMetrics.js';
import { RuntimeFailure } from '../errors.js';
import { collectShmem } from './collectShmem.js';

/**
 * serve's and export's shared-memory gauges (holders/shmemMetrics.ts): Shmem
 * by kind and the orphans. Live only: a captured tree has no walk of the tmpfs
 * mounts, so its orphans would read as none. Finding who holds what reads every
 * process's maps and fd/, as dear as a scan itself: serve takes them again only
 * once they are `maxAgeMs` old (what leaks there, a file in /dev/shm, grows over
 * minutes, not seconds), and a scrape in between repeats the last ones.
 */
export class ShmemScrape {
  private last: { at: number; families: MetricFamily[] } | undefined;

  constructor(private readonly live: boolean, private readonly maxAgeMs: number, private readonly now: () => number = () => performance.now()) {}

  families(reader: ProcReader): MetricFamily[] {
    if (!this.live) return [];
    const at = this.now();
    if (this.last !== undefined && at - this.last.at < this.maxAgeMs) return this.last.families;
    try {
      this.last = { at, families: shmemMetricFamilies(collectShmem(reader).totals) };
    } catch (error) {
      // meminfo or sysvipc/shm unreadable this time: no shmem series rather than no scrape.
      if (!(error instanceof RuntimeFailure)) throw error;
      this.last = undefined;
      return [];
    }
    return this.last.families;
  }
}

/** How old serve's shmem gauges may be: a minute, four scrapes at Prometheus' default 15 s. */
export const SHMEM_SCRAPE_MAX_AGE_MS = 60_000;
