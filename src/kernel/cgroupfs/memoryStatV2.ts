import { parsed, parseFailure, type Parsed } from '../procfs/parseResult.js';
import { parseFlatKeyed } from './flatKeyed.js';

/**
 * cgroup v2 memory.stat (Documentation/admin-guide/cgroup-v2.rst), in bytes, for
 * the cgroup and all its descendants. The fields footprint adds up are named;
 * the ones a kernel may lack are optional, with the release that added them.
 * What each counts is memory_stat_format() in mm/memcontrol.c.
 */
export interface MemoryStatV2 {
  /** Anonymous pages mapped by processes (NR_ANON_MAPPED). */
  anon: number;
  /** Page cache, tmpfs and shared memory included (NR_FILE_PAGES, swap cache included). */
  file: number;
  /** Every kernel page charged (MEMCG_KMEM): slab, stacks, page tables, percpu, vmalloc, zswap and the rest (5.18+). */
  kernel?: number;
  kernelStack: number;
  /** Page tables of processes (5.11+; 0 before it was counted). */
  pagetables?: number;
  /** Secondary page tables: KVM's stage-2, IOMMU (after 5.19). */
  secPagetables?: number;
  /** Per-CPU allocations (5.9+). */
  percpu?: number;
  /** Network buffers: charged to memory.current but not in `kernel`. */
  sock: number;
  /** vmalloc'ed pages charged with __GFP_ACCOUNT (5.17+); kernel stacks are charged apart. */
  vmalloc?: number;
  /** Swap-backed file pages: tmpfs, shm, shared anonymous mappings; within `file`, on the anon LRU (4.15+). */
  shmem?: number;
  /** The compressed pool zswap holds for this cgroup (5.19+, CONFIG_ZSWAP); a kernel charge. */
  zswap?: number;
  /** Pages swapped out into zswap (5.19+): not resident, not charged as memory. */
  zswapped?: number;
  /** Swap cache (after 5.19): within `file`, and a page still mapped is in `anon` too. */
  swapcached?: number;
  /** Huge pages (6.7+), charged to memory.current only with the memory_hugetlb_accounting mount option. */
  hugetlb?: number;
  fileMapped?: number;
  fileDirty?: number;
  fileWriteback?: number;
  activeAnon: number;
  inactiveAnon: number;
  activeFile: number;
  inactiveFile: number;
  unevictable: number;
  slabReclaimable?: number;
  slabUnreclaimable?: number;
  /** Every key as the kernel printed it. */
  fields: Record<string, number>;
}

const REQUIRED = ['anon', 'file', 'kernel_stack', 'sock', 'active_anon', 'inactive_anon', 'active_file', 'inactive_file', 'unevictable'] as const;

export function parseMemoryStatV2(text: string): Parsed<MemoryStatV2> {
  const flat = parseFlatKeyed('memory.stat', text);
  if (!flat.ok) return flat;
  const fields = flat.value.values;
  for (const key of REQUIRED) {
    if (!(key in fields)) return parseFailure('memory.stat', 1, text.split('\n')[0] ?? '', `no "${key}" (not a cgroup v2 memory.stat)`);
  }
  const optional = (key: string): number | undefined => fields[key];
  return parsed({
    anon: fields.anon,
    file: fields.file,
    kernel: optional('kernel'),
    kernelStack: fields.kernel_stack,
    pagetables: optional('pagetables'),
    secPagetables: optional('sec_pagetables'),
    percpu: optional('percpu'),
    sock: fields.sock,
    vmalloc: optional('vmalloc'),
    shmem: optional('shmem'),
    zswap: optional('zswap'),
    zswapped: optional('zswapped'),
    swapcached: optional('swapcached'),
    hugetlb: optional('hugetlb'),
    fileMapped: optional('file_mapped'),
    fileDirty: optional('file_dirty'),
    fileWriteback: optional('file_writeback'),
    activeAnon: fields.active_anon,
    inactiveAnon: fields.inactive_anon,
    activeFile: fields.active_file,
    inactiveFile: fields.inactive_file,
    unevictable: fields.unevictable,
    slabReclaimable: optional('slab_reclaimable'),
    slabUnreclaimable: optional('slab_unreclaimable'),
    fields,
  });
}
