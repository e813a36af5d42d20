import type { MemoryStatV1 } from '../../kernel/cgroupfs/memoryStatV1.js';
import type { MemoryStatV2 } from '../../kernel/cgroupfs/memoryStatV2.js';
import type { CgroupPart, CgroupPartKey, ChargeParts } from './model.js';

/** Per part: what holds the memory, and the memory.stat fields it comes from. */
const NAMES: Record<CgroupPartKey, [what: string, source: string]> = {
  anon: ['anonymous memory', 'anon'],
  shmem: ['shared memory and tmpfs', 'shmem'],
  fileActive: ['page cache, active', 'active_file'],
  fileInactive: ['page cache, inactive', 'inactive_file'],
  fileOffLru: ['page cache off the LRU: mlocked, ramfs, swap cache', 'file - shmem - *_file'],
  slabReclaimable: ['kernel slab, reclaimable (dentries, inodes)', 'slab_reclaimable'],
  slabUnreclaimable: ['kernel slab, unreclaimable', 'slab_unreclaimable'],
  kernelStacks: ['kernel stacks', 'kernel_stack'],
  pageTables: ['page tables', 'pagetables + sec_pagetables'],
  percpu: ['per-CPU allocations', 'percpu'],
  vmalloc: ['vmalloc', 'vmalloc'],
  zswap: ['zswap compressed pool', 'zswap'],
  kernelOther: ['other kernel memory: pipes, io_uring, bpf, KVM', 'kernel - the kernel parts above'],
  kernel: ['kernel memory: slab, stacks, page tables, percpu', 'memory.kmem.usage_in_bytes'],
  sock: ['network buffers', 'sock'],
  uncounted: ['charged outside every counter: per-CPU charge batches', 'memory.current - anon - file - kernel - sock'],
};

/** v1 names its fields differently; the same parts, from total_*. */
const V1_SOURCES: Partial<Record<CgroupPartKey, string>> = {
  anon: 'total_rss',
  shmem: 'total_shmem',
  fileActive: 'total_active_file',
  fileInactive: 'total_inactive_file',
  fileOffLru: 'total_cache - total_shmem - total_*_file',
};

function part(key: CgroupPartKey, bytes: number, source?: string): CgroupPart {
  const [what, defaultSource] = NAMES[key];
  return { key, label: `${what} (${source ?? defaultSource})`, bytes };
}

/**
 * Swap cache pages are file pages to memory.stat (NR_FILE_PAGES holds them), and
 * one still mapped by a process is an anonymous page too (NR_ANON_MAPPED): the
 * stats count it twice, and nothing says how many are mapped. Said, not guessed.
 */
function swapCacheNote(swapcached: number | undefined): string[] {
  if (swapcached === undefined || swapcached === 0) return [];
  return [`how much of the ${swapcached} bytes of swap cache is still mapped: those pages are in anon and in the page cache both, so the parts may exceed the charge by up to that much`];
}

/** A part's label without its fields, for the text view. */
export function shortPartLabel(label: string): string {
  return label.slice(0, label.lastIndexOf(' ('));
}

/** The file parts: shmem apart (swap-backed, on the anon LRU), the LRU's two halves, and what is off it. */
function fileParts(file: number, shmem: number, active: number, inactive: number, dirty: number, writeback: number, v1: boolean): CgroupPart[] {
  const source = (key: CgroupPartKey) => (v1 ? V1_SOURCES[key] : undefined);
  const parts = [
    part('shmem', shmem, source('shmem')),
    { ...part('fileActive', active, source('fileActive')) },
    { ...part('fileInactive', inactive, source('fileInactive')) },
    part('fileOffLru', Math.max(0, file - shmem - active - inactive), source('fileOffLru')),
  ];
  // Dirty and writeback pages are page cache pages on either half of the LRU: a detail of the whole, not a part.
  parts[1].dirty = dirty;
  parts[1].writeback = writeback;
  return parts;
}

/**
 * cgroup v2: memory.current split by memory.stat.
 *
 * memory.current counts every page charged to the cgroup: anon + file (which
 * holds shmem and swap cache) + kernel + sock. `kernel` (5.18+) is every page
 * charged as kernel memory (MEMCG_KMEM): slab, kernel stacks, page tables,
 * percpu, vmalloc, zswap's pool, and allocations with no counter of their own
 * (pipe buffers, io_uring, bpf, KVM); sock is charged apart from it. Kernel
 * stacks are vmalloc'ed but charged page by page, not in `vmalloc`. What is
 * charged beyond every counter is computed from the counters, never as the
 * charge less the other parts: memory.current also holds the pages each CPU
 * has charged ahead (MEMCG_CHARGE_BATCH, 64 pages a CPU) and not yet used,
 * and memory.stat's per-CPU deltas reach it in batches. Before 5.18 there is no
 * `kernel`, so the kernel's unnamed pages fall in the same uncounted part.
 */
export function chargePartsV2(current: number, stat: MemoryStatV2): ChargeParts {
  const shmem = stat.shmem ?? 0;
  const parts = [part('anon', stat.anon), ...fileParts(stat.file, shmem, stat.activeFile, stat.inactiveFile, stat.fileDirty ?? 0, stat.fileWriteback ?? 0, false)];
  const kernelParts: CgroupPart[] = [
    part('slabReclaimable', stat.slabReclaimable ?? 0),
    part('slabUnreclaimable', stat.slabUnreclaimable ?? 0),
    part('kernelStacks', stat.kernelStack),
    part('pageTables', (stat.pagetables ?? 0) + (stat.secPagetables ?? 0)),
  ];
  if (stat.percpu !== undefined) kernelParts.push(part('percpu', stat.percpu));
  if (stat.vmalloc !== undefined) kernelParts.push(part('vmalloc', stat.vmalloc));
  if (stat.zswap !== undefined) kernelParts.push(part('zswap', stat.zswap));
  const named = kernelParts.reduce((sum, kernelPart) => sum + kernelPart.bytes, 0);
  if (stat.kernel !== undefined) kernelParts.push(part('kernelOther', Math.max(0, stat.kernel - named)));
  const kernel = stat.kernel ?? named;
  const counted = stat.anon + stat.file + kernel + stat.sock;
  const uncounted = part('uncounted', Math.max(0, current - counted));
  if (stat.kernel === undefined) uncounted.label = 'charged outside every counter: per-CPU charge batches, unnamed kernel pages (memory.current - anon - file - the kernel parts - sock)';
  const unknown: string[] = [];
  if (stat.kernel === undefined) unknown.push('kernel memory with no counter of its own (no "kernel" in memory.stat before 5.18): inside the uncounted part');
  unknown.push(...swapCacheNote(stat.swapcached));
  // Huge pages are charged to memory.current only when cgroup2 is mounted with memory_hugetlb_accounting (6.7+).
  if (stat.hugetlb !== undefined && stat.hugetlb > 0) unknown.push(`whether the ${stat.hugetlb} bytes of hugetlb are charged (only with the memory_hugetlb_accounting mount option): if so, inside the uncounted part`);
  return {
    charge: current,
    source: 'memory.current',
    parts: [...parts, ...kernelParts, part('sock', stat.sock), uncounted],
    unknown,
    workingSet: Math.max(0, current - stat.inactiveFile),
    inactiveFile: stat.inactiveFile,
  };
}

/**
 * cgroup v1: the charge computed from memory.stat, total_rss + total_cache,
 * plus memory.kmem.usage_in_bytes where the kernel has it (kernel memory is
 * charged to the memory counter too, and v1's memory.stat has no figure for it).
 * Not usage_in_bytes: the kernel documents it as fuzzy by design (each CPU
 * charges pages ahead in batches), and for the root cgroup it is the stats
 * anyway. It is kept beside, as `counter`. v1 charges network buffers to their
 * own counter (memory.kmem.tcp), not to memory: no sock part.
 */
export function chargePartsV1(stat: MemoryStatV1, kmem: number | undefined, usage: number | undefined): ChargeParts {
  const parts = [part('anon', stat.rss, V1_SOURCES.anon), ...fileParts(stat.cache, stat.shmem, stat.activeFile, stat.inactiveFile, stat.dirty, stat.writeback, true)];
  if (kmem !== undefined) parts.push(part('kernel', kmem));
  const charge = stat.rss + stat.cache + (kmem ?? 0);
  const charges: ChargeParts = {
    charge,
    source: kmem === undefined ? 'memory.stat' : 'memory.stat+kmem',
    parts,
    unknown: [...(kmem === undefined ? ['kernel memory (no memory.kmem.usage_in_bytes)'] : []), ...swapCacheNote(stat.swapcached)],
    workingSet: Math.max(0, (usage ?? charge) - stat.inactiveFile),
    inactiveFile: stat.inactiveFile,
  };
  if (usage !== undefined) charges.counter = usage;
  return charges;
}
