import type { Meminfo } from '../kernel/procfs/meminfo.js';
import type { Zoneinfo } from '../kernel/procfs/zoneinfo.js';

/** The terms of the kernel's MemAvailable estimate, in bytes. */
export interface AvailableEstimate {
  pageSize: number;
  /** totalreserve_pages: what the zones keep back from every allocation. MemAvailable never offers it. */
  reserve: number;
  /** The sum of every zone's low watermark. */
  lowWatermarks: number;
  /** Page cache MemAvailable does not count as available: min(file LRU / 2, low watermarks). */
  cacheHeldBack: number;
  /** Reclaimable kernel memory it does not count: min(KReclaimable / 2, low watermarks). */
  reclaimableHeldBack: number;
  /** Free pages cached in the per-CPU lists: allocated as far as MemFree knows, yet free. */
  perCpuFree: number;
  /** MemAvailable as the kernel computes it from these terms, to check them against its own. */
  memAvailable: number;
}

/** Pages of a counter kept per node since Linux 4.8 (`per-node stats`), per zone before it. */
function pagesOf(zoneinfo: Zoneinfo, key: string): number | undefined {
  const node = zoneinfo.nodeCounters[key];
  if (node !== undefined) return node;
  const zoned = zoneinfo.zones.filter((zone) => zone.counters[key] !== undefined);
  return zoned.length === 0 ? undefined : zoned.reduce((sum, zone) => sum + zone.counters[key], 0);
}

/**
 * zoneinfo counts pages, meminfo kB, and no world-readable text states the page
 * size: it is the ratio of a counter both print (the file LRU, anon pages,
 * shmem), rounded to a power of two, from the largest of them. The two files
 * are read moments apart, so the ratio is near, not exact. Undefined when every
 * such counter is 0 or missing.
 */
export function pageSizeFrom(meminfo: Meminfo, zoneinfo: Zoneinfo): number | undefined {
  const pairs: [number | undefined, (number | undefined)[]][] = [
    [sumOf(meminfo, 'Active(file)', 'Inactive(file)'), [pagesOf(zoneinfo, 'nr_active_file'), pagesOf(zoneinfo, 'nr_inactive_file')]],
    [meminfo.AnonPages, [pagesOf(zoneinfo, 'nr_anon_pages')]],
    [meminfo.Shmem, [pagesOf(zoneinfo, 'nr_shmem')]],
  ];
  let best: { bytes: number; pages: number } | undefined;
  for (const [bytes, parts] of pairs) {
    if (bytes === undefined || parts.some((part) => part === undefined)) continue;
    const pages = parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
    if (pages > 0 && (best === undefined || pages > best.pages)) best = { bytes, pages };
  }
  if (best === undefined) return undefined;
  const size = 2 ** Math.round(Math.log2(best.bytes / best.pages));
  return size >= 4096 && size <= 1024 * 1024 ? size : undefined;
}

function sumOf(meminfo: Meminfo, ...keys: string[]): number | undefined {
  let sum = 0;
  for (const key of keys) {
    if (meminfo[key] === undefined) return undefined;
    sum += meminfo[key];
  }
  return sum;
}

/**
 * The kernel's si_mem_available() (mm/show_mem.c), term by term:
 *
 *     MemAvailable = MemFree - totalreserve
 *                  + pagecache - min(pagecache / 2, low)
 *                  + reclaimable - min(reclaimable / 2, low)
 *
 * with pagecache = Active(file) + Inactive(file), reclaimable = KReclaimable
 * (SReclaimable before 4.20), low = every zone's low watermark summed, and
 * totalreserve = per zone min(managed, max(protection) + high), summed
 * (calculate_totalreserve_pages() in mm/page_alloc.c). That sum was made when
 * the watermarks were last set, when `boost` is 0; zoneinfo's `high` includes
 * today's boost, so it comes off. Arithmetic in whole pages, as the kernel's.
 */
export function estimateAvailable(meminfo: Meminfo, zoneinfo: Zoneinfo): AvailableEstimate | undefined {
  const pageSize = pageSizeFrom(meminfo, zoneinfo);
  if (pageSize === undefined) return undefined;
  const pages = (bytes: number | undefined) => Math.floor((bytes ?? 0) / pageSize);
  let reserve = 0;
  let low = 0;
  let perCpuFree = 0;
  for (const zone of zoneinfo.zones) {
    const protection = Math.min(zone.managed, Math.max(0, ...zone.protection));
    reserve += Math.min(zone.managed, protection + zone.high - zone.boost);
    low += zone.low;
    perCpuFree += zone.perCpuFree;
  }
  const pagecache = pages(meminfo['Active(file)']) + pages(meminfo['Inactive(file)']);
  const reclaimable = pages(meminfo.KReclaimable ?? meminfo.SReclaimable);
  const cacheHeldBack = Math.min(Math.floor(pagecache / 2), low);
  const reclaimableHeldBack = Math.min(Math.floor(reclaimable / 2), low);
  const available = Math.max(0, pages(meminfo.MemFree) - reserve + pagecache - cacheHeldBack + reclaimable - reclaimableHeldBack);
  return {
    pageSize,
    reserve: reserve * pageSize,
    lowWatermarks: low * pageSize,
    cacheHeldBack: cacheHeldBack * pageSize,
    reclaimableHeldBack: reclaimableHeldBack * pageSize,
    perCpuFree: perCpuFree * pageSize,
    memAvailable: available * pageSize,
  };
}
