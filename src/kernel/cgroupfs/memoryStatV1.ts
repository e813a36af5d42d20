import { parsed, parseFailure, type Parsed } from '../procfs/parseResult.js';
import { parseFlatKeyed } from './flatKeyed.js';
import type { Limit } from './cgroupValue.js';

/**
 * cgroup v1 memory.stat (Documentation/admin-guide/cgroup-v1/memory.rst), in
 * bytes. The total_* fields cover the cgroup and its descendants, as its
 * counters (usage_in_bytes, limits) do; the plain ones only its own pages. v1
 * has no kernel-memory figures here: memory.kmem.usage_in_bytes holds them.
 */
export interface MemoryStatV1 {
  /** total_rss: anonymous pages and swap cache (NR_ANON_MAPPED). */
  rss: number;
  /** total_cache: page cache, tmpfs and shm included (NR_FILE_PAGES). */
  cache: number;
  /** total_shmem: within cache, on the anon LRU. */
  shmem: number;
  mappedFile: number;
  dirty: number;
  writeback: number;
  swap?: number;
  /** total_swapcached: within cache, and a page still mapped is in rss too. */
  swapcached?: number;
  activeAnon: number;
  inactiveAnon: number;
  activeFile: number;
  inactiveFile: number;
  unevictable: number;
  /** hierarchical_memory_limit: the lowest limit above and at this cgroup; null for none. */
  hierarchicalLimit?: Limit;
  fields: Record<string, number>;
}

const HIERARCHICAL = ['rss', 'cache', 'shmem', 'mapped_file', 'dirty', 'writeback', 'active_anon', 'inactive_anon', 'active_file', 'inactive_file', 'unevictable'] as const;

export function parseMemoryStatV1(text: string): Parsed<MemoryStatV1> {
  const flat = parseFlatKeyed('memory.stat', text);
  if (!flat.ok) return flat;
  const { values: fields, limits } = flat.value;
  for (const key of HIERARCHICAL) {
    if (!(`total_${key}` in fields)) return parseFailure('memory.stat', 1, text.split('\n')[0] ?? '', `no "total_${key}" (not a cgroup v1 memory.stat)`);
  }
  const total = (key: (typeof HIERARCHICAL)[number]) => fields[`total_${key}`];
  const hierarchicalLimit = 'hierarchical_memory_limit' in fields ? fields.hierarchical_memory_limit
    : 'hierarchical_memory_limit' in limits ? null : undefined;
  return parsed({
    rss: total('rss'),
    cache: total('cache'),
    shmem: total('shmem'),
    mappedFile: total('mapped_file'),
    dirty: total('dirty'),
    writeback: total('writeback'),
    swap: fields.total_swap,
    swapcached: fields.total_swapcached,
    activeAnon: total('active_anon'),
    inactiveAnon: total('inactive_anon'),
    activeFile: total('active_file'),
    inactiveFile: total('inactive_file'),
    unevictable: total('unevictable'),
    hierarchicalLimit,
    fields,
  });
}
