import { describe, expect, it } from '@jest/globals';
import { parseMeminfo, type Meminfo } from '../../src/kernel/procfs/meminfo.js';
import { parseZoneinfo, type Zoneinfo } from '../../src/kernel/procfs/zoneinfo.js';
import { estimateAvailable, pageSizeFrom } from '../../src/reduce/memAvailable.js';
import { systemMemory } from '../../src/reduce/systemMemory.js';
import { KIB, snapshotText, type SnapshotName } from '../helpers/snapshots.js';

function pair(snapshot: SnapshotName): { meminfo: Meminfo; zoneinfo: Zoneinfo } {
  const meminfo = parseMeminfo(snapshotText(snapshot, 'meminfo'));
  const zoneinfo = parseZoneinfo(snapshotText(snapshot, 'zoneinfo'));
  if (!meminfo.ok || !zoneinfo.ok) throw new Error(`${snapshot}: does not parse`);
  return { meminfo: meminfo.value, zoneinfo: zoneinfo.value };
}

/*
 * Worked by hand (awk) from each pair, read back to back (snapshots/README.md), in kB; pages are 4 kB.
 * zoneinfo, both pairs: reserve = per zone min(managed, max(protection) + high - boost)
 *   = DMA min(3840, 5706 + 66) + DMA32 min(772798, 2688 + 13370) + Normal 11905 + Movable min(0, 32) + Device 0
 *   = 3840 + 16058 + 11905 = 31803 pages = 127212 kB; low = 55 + 11142 + 9921 + 32 + 0 = 21150 pages = 84600 kB.
 * plain: file LRU 144496 + 113244 = 257740 kB = 64435 pages: held back min(32217, 21150) = 21150 pages = 84600 kB;
 *   KReclaimable 97284 kB = 24321 pages: held back min(12160, 21150) = 12160 pages = 48640 kB;
 *   per-CPU lists: count 4593 + 5899 = 10492 pages = 41968 kB;
 *   allocated outside the counters = MemTotal - MemFree - (AnonPages + Buffers + Cached + SUnreclaim + KReclaimable
 *   + KernelStack + PageTables + SecPageTables + Percpu + (VmallocUsed - KernelStack) + Hugetlb) = 56076 kB,
 *   of which 41968 the per-CPU lists and 14108 uncounted.
 *   MemAvailable = 5813920 - 31803 + 64435 - 21150 + 24321 - 12160 = 5837563 pages = 23350252 kB: the kernel's own figure.
 * pools (the same machine with 16 huge pages reserved, 8 MiB in a ramfs file, 4 MiB in a tmpfs file):
 *   file LRU 258540 kB, held back 21150 pages; KReclaimable as above; per-CPU lists 9208 pages = 36832 kB;
 *   outside the counters 51456 kB, so 14624 uncounted.
 */
const PARTS_KB = {
  plain: {
    anon: 915728, shmem: 9356, unevictableCache: 8, slabUnreclaimable: 43896, kernelStacks: 6180, pageTables: 28100, percpu: 744,
    vmalloc: 12792, hugetlb: 0, kernelReserve: 127212, cacheHeldBack: 84600, reclaimableHeldBack: 48640, perCpuLists: 41968, uncounted: 14108,
  },
  pools: {
    anon: 915728, shmem: 13356, unevictableCache: 8208, slabUnreclaimable: 43896, kernelStacks: 6180, pageTables: 28000, percpu: 744,
    vmalloc: 12824, hugetlb: 32768, kernelReserve: 127212, cacheHeldBack: 84600, reclaimableHeldBack: 48640, perCpuLists: 36832, uncounted: 14624,
  },
};
const USED_KB = { plain: 24683584 - 23350252, pools: 24683584 - 23309972 };

describe("the kernel's MemAvailable, recomputed from meminfo and zoneinfo", () => {
  it.each(['plain', 'pools'] as const)('%s: equals the kernel\'s figure exactly, term by term', (name) => {
    const { meminfo, zoneinfo } = pair(`system-memory/${name}`);
    const estimate = estimateAvailable(meminfo, zoneinfo)!;
    expect(estimate).toMatchObject({
      pageSize: 4096, reserve: 127212 * KIB, lowWatermarks: 84600 * KIB, cacheHeldBack: 84600 * KIB, reclaimableHeldBack: 48640 * KIB,
    });
    expect(estimate.memAvailable).toBe(meminfo.MemAvailable);
  });

  it('the page size is the ratio of a counter both files print, as a power of two', () => {
    const { meminfo, zoneinfo } = pair('system-memory/plain');
    expect(pageSizeFrom(meminfo, zoneinfo)).toBe(4096);
    // 64 KiB pages: zoneinfo counts 16 times fewer of them for the same bytes.
    const big = { ...zoneinfo, nodeCounters: Object.fromEntries(Object.entries(zoneinfo.nodeCounters).map(([key, value]) => [key, Math.round(value / 16)])) };
    expect(pageSizeFrom(meminfo, big)).toBe(65536);
    expect(pageSizeFrom(meminfo, { ...zoneinfo, nodeCounters: {} })).toBeUndefined();
  });

  it('a watermark boost raises low and high for now, but not the reserve, which was summed without it', () => {
    const { meminfo, zoneinfo } = pair('system-memory/plain');
    const boosted = structuredClone(zoneinfo);
    Object.assign(boosted.zones[2], { boost: 500, low: 9921 + 500, high: 11905 + 500 });
    const estimate = estimateAvailable(meminfo, boosted)!;
    expect(estimate.reserve).toBe(127212 * KIB);
    expect(estimate.lowWatermarks).toBe((84600 + 500 * 4) * KIB);
  });
});

describe('used memory, part by part', () => {
  it.each(['plain', 'pools'] as const)('%s: every part as worked by hand, adding up to used exactly', (name) => {
    const { meminfo, zoneinfo } = pair(`system-memory/${name}`);
    const system = systemMemory(meminfo, zoneinfo, { accounted: 0 });
    expect(system.used).toBe(USED_KB[name] * KIB);
    expect(Object.fromEntries(system.parts!.map((part) => [part.key, part.bytes / KIB]))).toEqual(PARTS_KB[name]);
    expect(system.parts!.reduce((sum, part) => sum + part.bytes, 0)).toBe(system.used);
    expect(system.partsUnknown).toBeUndefined();
  });

  it('labels name the kernel figures each part comes from', () => {
    const { meminfo, zoneinfo } = pair('system-memory/pools');
    const labels = Object.fromEntries(systemMemory(meminfo, zoneinfo, { accounted: 0 }).parts!.map((part) => [part.key, part.label]));
    expect(labels.anon).toBe('anonymous memory (AnonPages)');
    expect(labels.hugetlb).toBe('huge page pool (Hugetlb)');
    expect(labels.uncounted).toBe('allocated by the kernel outside every counter: drivers, firmware (MemTotal - MemFree - the counters)');
  });

  it('ties anon and shmem to what the measured processes hold', () => {
    const { meminfo, zoneinfo } = pair('system-memory/plain');
    const parts = systemMemory(meminfo, zoneinfo, { accounted: 0, anon: 1000 * KIB, shmem: 8 * KIB }).parts!;
    expect(parts.filter((part) => part.measured !== undefined).map((part) => [part.key, part.measured])).toEqual([['anon', 1000 * KIB], ['shmem', 8 * KIB]]);
  });

  it('without zoneinfo: the parts that need it are unknown, not guessed, and the per-CPU lists stay in uncounted', () => {
    const { meminfo } = pair('system-memory/plain');
    const system = systemMemory(meminfo, undefined, { accounted: 0 });
    expect(system.partsUnknown).toEqual(['kernelReserve', 'cacheHeldBack', 'reclaimableHeldBack', 'perCpuLists']);
    const uncounted = system.parts!.find((part) => part.key === 'uncounted')!;
    expect(uncounted.bytes).toBe(56076 * KIB);
    expect(uncounted.label).toBe('allocated by the kernel outside every counter: drivers, firmware, per-CPU free lists (MemTotal - MemFree - the counters)');
  });

  it('without MemAvailable (before Linux 3.14) used is the old stand-in and the held-back parts are unknown', () => {
    const { meminfo, zoneinfo } = pair('system-memory/plain');
    const { MemAvailable: _dropped, ...old } = meminfo;
    const system = systemMemory(old, zoneinfo, { accounted: 0 });
    expect(system.memAvailable).toBe((23255680 + 258048 + 9056) * KIB);
    expect(system.partsUnknown).toHaveLength(4);
  });
});
