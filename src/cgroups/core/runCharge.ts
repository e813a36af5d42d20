import { parseMemoryStatV1 } from '../../kernel/cgroupfs/memoryStatV1.js';
import { parseMemoryStatV2 } from '../../kernel/cgroupfs/memoryStatV2.js';

/** What the kernel says of the run's cgroup at the end, bytes. */
export interface CgroupCharge {
  /** The highest charge while the run lasted: v1 memory.max_usage_in_bytes, v2 memory.peak. */
  peak: number;
  /** memory.stat when CMD had ended: anonymous, page cache, shared memory (of the cache), kernel memory (where the kernel says). */
  anon: number;
  file: number;
  shmem: number;
  kernel?: number;
  /** The file the peak came from. */
  source: string;
}

/**
 * The run's charge from its cgroup's memory.stat, by the one parser of each
 * version (kernel/cgroupfs): v1's total_* fields (the cgroup and its children;
 * it has none), v2's anon, file, shmem and kernel. Undefined when the text is
 * not a memory.stat of that version.
 */
export function runChargeOf(version: 1 | 2, statText: string, read: { peak: number; kmem?: number; source: string }): CgroupCharge | undefined {
  const { peak, kmem, source } = read;
  if (version === 1) {
    const stat = parseMemoryStatV1(statText);
    if (!stat.ok) return undefined;
    return { peak, anon: stat.value.rss, file: stat.value.cache, shmem: stat.value.shmem, ...(kmem === undefined ? {} : { kernel: kmem }), source };
  }
  const stat = parseMemoryStatV2(statText);
  if (!stat.ok) return undefined;
  const { anon, file, shmem, kernel } = stat.value;
  return { peak, anon, file, shmem: shmem ?? 0, ...(kernel === undefined ? {} : { kernel }), source };
}
