import type { Meminfo } from '../procfs/meminfo.js';
import type { SystemMemory } from '../model/report.js';

/** A part of used memory that no process holds, with its size in bytes. */
export interface UnaccountedPart {
  label: string;
  bytes: number;
}

export function systemMemory(meminfo: Meminfo, accounted: number): SystemMemory {
  const memTotal = meminfo.MemTotal ?? 0;
  // MemAvailable is since Linux 3.14; before it, free + reclaimable cache is the usual stand-in.
  const memAvailable = meminfo.MemAvailable ?? (meminfo.MemFree ?? 0) + (meminfo.Cached ?? 0) + (meminfo.Buffers ?? 0);
  return { memTotal, memAvailable, used: memTotal - memAvailable, shmem: meminfo.Shmem ?? 0, accounted };
}

/**
 * The parts of used memory that belong to no measured process, largest first.
 * Shmem that processes map is already in their Pss (Pss_Shmem, Linux 5.7+);
 * the rest is tmpfs or /dev/shm files nobody maps. What meminfo does not
 * itemise (the kernel's free-page reserves and cache MemAvailable holds back,
 * and any process that could not be read) is the remainder.
 */
export function unaccountedParts(
  meminfo: Meminfo, mappedShmem: number | undefined, unaccounted: number, unreadableProcesses: number,
): UnaccountedPart[] {
  const parts: UnaccountedPart[] = [
    { label: 'kernel slab (unreclaimable)', bytes: meminfo.SUnreclaim ?? 0 },
    { label: 'page tables', bytes: (meminfo.PageTables ?? 0) + (meminfo.SecPageTables ?? 0) },
    { label: 'kernel stacks', bytes: meminfo.KernelStack ?? 0 },
    { label: 'vmalloc', bytes: meminfo.VmallocUsed ?? 0 },
    mappedShmem === undefined
      ? { label: 'Shmem (tmpfs, /dev/shm; how much is mapped is unknown)', bytes: meminfo.Shmem ?? 0 }
      : { label: 'Shmem no process maps (tmpfs, /dev/shm)', bytes: Math.max(0, (meminfo.Shmem ?? 0) - mappedShmem) },
  ];
  const itemised = parts.reduce((sum, part) => sum + part.bytes, 0);
  const rest = unaccounted - itemised;
  if (rest > 0) {
    parts.push({
      label: unreadableProcesses > 0
        ? `the rest (${unreadableProcesses} unreadable process${unreadableProcesses === 1 ? '' : 'es'}, kernel reserves, cache MemAvailable holds back)`
        : 'the rest (kernel reserves, cache MemAvailable holds back)',
      bytes: rest,
    });
  }
  return parts.filter((part) => part.bytes > 0).sort((a, b) => b.bytes - a.bytes);
}
