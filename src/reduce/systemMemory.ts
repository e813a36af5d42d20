import type { Meminfo } from '../kernel/procfs/meminfo.js';
import type { Zoneinfo } from '../kernel/procfs/zoneinfo.js';
import type { SystemCgroups, SystemMemory, SystemPart, SystemPartKey } from '../model/report.js';
import { estimateAvailable } from './memAvailable.js';

/** What the measured processes hold, from their rollups. */
export interface HeldByProcesses {
  /** Sum of Pss + private hugetlb pages. */
  accounted: number;
  /** Sum of Pss_Anon and of Pss_Shmem, where every measured rollup has them (Linux 5.7+). */
  anon?: number;
  shmem?: number;
}

/** Per part: what holds the memory, and the kernel figures it comes from. */
const NAMES: Record<SystemPartKey, [what: string, source: string]> = {
  anon: ['anonymous memory', 'AnonPages'],
  shmem: ['shared memory and tmpfs', 'Shmem'],
  unevictableCache: ['file pages off the LRU: mlocked, ramfs', 'Buffers + Cached - Shmem - file LRU'],
  slabUnreclaimable: ['kernel slab, unreclaimable', 'SUnreclaim'],
  kernelStacks: ['kernel stacks', 'KernelStack'],
  pageTables: ['page tables', 'PageTables + SecPageTables'],
  percpu: ['per-CPU allocations', 'Percpu'],
  vmalloc: ['vmalloc besides kernel stacks', 'VmallocUsed - KernelStack'],
  hugetlb: ['huge page pool', 'Hugetlb'],
  kernelReserve: ['kernel reserve: zone watermarks and lowmem protection', 'zoneinfo'],
  cacheHeldBack: ['page cache MemAvailable holds back', 'min(file LRU / 2, low watermarks)'],
  reclaimableHeldBack: ['reclaimable kernel memory MemAvailable holds back', 'min(KReclaimable / 2, low watermarks)'],
  perCpuLists: ['free pages in per-CPU lists, not in MemFree', 'zoneinfo pagesets'],
  uncounted: ['allocated by the kernel outside every counter: drivers, firmware', 'MemTotal - MemFree - the counters'],
};

/** The label of a part, with the figures it comes from: "anonymous memory (AnonPages)". */
function labelOf(key: SystemPartKey, withoutZoneinfo: boolean): string {
  const [what, source] = NAMES[key];
  // Without zoneinfo the per-CPU lists cannot be told apart from the rest.
  if (key === 'uncounted' && withoutZoneinfo) return `${what}, per-CPU free lists (${source})`;
  return `${what} (${source})`;
}

/** A part's label without its figures, for the text footer. */
export function shortLabel(part: SystemPart): string {
  return part.label.slice(0, part.label.lastIndexOf(' ('));
}

/** Parts that need /proc/zoneinfo and the kernel's MemAvailable. */
const ZONEINFO_PARTS: SystemPartKey[] = ['kernelReserve', 'cacheHeldBack', 'reclaimableHeldBack', 'perCpuLists'];

/**
 * MemTotal - MemAvailable, split into parts that each say what holds the memory.
 *
 * MemAvailable = MemFree + what reclaim can give back (reduce/memAvailable.ts),
 * so used = what is allocated (MemTotal - MemFree) that nothing gives back, plus
 * the reserve and the cache that MemAvailable keeps back. The allocated memory
 * no counter names ("uncounted") is computed from allocated memory, never as
 * used minus the other parts: that the parts add up to used is the check that
 * the arithmetic is the kernel's.
 *
 * Kernel stacks are vmalloc'ed on kernels with CONFIG_VMAP_STACK (the default on
 * x86-64 since 4.9 and arm64 since 4.14), so VmallocUsed includes KernelStack;
 * the vmalloc part is what it holds besides them. KReclaimable (4.20+) is slab
 * plus other reclaimable kernel memory; before it, SReclaimable.
 */
export function systemMemory(meminfo: Meminfo, zoneinfo: Zoneinfo | undefined, held: HeldByProcesses): SystemMemory {
  const field = (key: string) => meminfo[key] ?? 0;
  const memTotal = field('MemTotal');
  // MemAvailable is since Linux 3.14; before it, free + reclaimable cache is the usual stand-in.
  const memAvailable = meminfo.MemAvailable ?? field('MemFree') + field('Cached') + field('Buffers');
  const used = memTotal - memAvailable;
  const estimate = meminfo.MemAvailable !== undefined && zoneinfo !== undefined ? estimateAvailable(meminfo, zoneinfo) : undefined;

  const reclaimable = meminfo.KReclaimable ?? field('SReclaimable');
  const hugetlb = meminfo.Hugetlb ?? field('HugePages_Total') * field('Hugepagesize');
  const fileLru = field('Active(file)') + field('Inactive(file)');
  const sizes: Partial<Record<SystemPartKey, number>> = {
    anon: field('AnonPages'),
    shmem: field('Shmem'),
    unevictableCache: Math.max(0, field('Buffers') + field('Cached') - field('Shmem') - fileLru),
    slabUnreclaimable: field('SUnreclaim'),
    kernelStacks: field('KernelStack'),
    pageTables: field('PageTables') + field('SecPageTables'),
    percpu: field('Percpu'),
    vmalloc: Math.max(0, field('VmallocUsed') - field('KernelStack')),
    hugetlb,
  };
  const counted = sizes.anon! + field('Buffers') + field('Cached') + sizes.slabUnreclaimable! + reclaimable
    + sizes.kernelStacks! + sizes.pageTables! + sizes.percpu! + sizes.vmalloc! + hugetlb;
  const outsideCounters = Math.max(0, memTotal - field('MemFree') - counted);
  if (estimate !== undefined) {
    sizes.kernelReserve = estimate.reserve;
    sizes.cacheHeldBack = estimate.cacheHeldBack;
    sizes.reclaimableHeldBack = estimate.reclaimableHeldBack;
    // Per-CPU lists and meminfo are read moments apart and the lists move fast: never more than the allocated rest.
    sizes.perCpuLists = Math.min(estimate.perCpuFree, outsideCounters);
  }
  sizes.uncounted = outsideCounters - (sizes.perCpuLists ?? 0);

  const parts: SystemPart[] = [];
  for (const [key, bytes] of Object.entries(sizes) as [SystemPartKey, number][]) {
    const part: SystemPart = { key, label: labelOf(key, estimate === undefined), bytes };
    if (key === 'anon' && held.anon !== undefined) part.measured = held.anon;
    if (key === 'shmem' && held.shmem !== undefined) part.measured = held.shmem;
    parts.push(part);
  }
  const system: SystemMemory = { memTotal, memAvailable, used, shmem: field('Shmem'), accounted: held.accounted, parts };
  if (estimate === undefined) system.partsUnknown = ZONEINFO_PARTS;
  return system;
}
