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
 * The parts of used memory that belong to no process, largest first.
 * Shmem that processes map is already in their Pss (Pss_Shmem, Linux 5.7+);
 * the rest is tmpfs or /dev/shm files nobody maps.
 */
export function unaccountedParts(meminfo: Meminfo, mappedShmem: number | undefined): UnaccountedPart[] {
  const parts: UnaccountedPart[] = [
    { label: 'kernel slab (unreclaimable)', bytes: meminfo.SUnreclaim ?? 0 },
    { label: 'page tables', bytes: (meminfo.PageTables ?? 0) + (meminfo.SecPageTables ?? 0) },
    { label: 'kernel stacks', bytes: meminfo.KernelStack ?? 0 },
    { label: 'vmalloc', bytes: meminfo.VmallocUsed ?? 0 },
  ];
  if (mappedShmem !== undefined) {
    parts.push({ label: 'Shmem no process maps (tmpfs, /dev/shm)', bytes: Math.max(0, (meminfo.Shmem ?? 0) - mappedShmem) });
  } else {
    parts.push({ label: 'Shmem (tmpfs, /dev/shm; mapped part unknown)', bytes: meminfo.Shmem ?? 0 });
  }
  return parts.filter((part) => part.bytes > 0).sort((a, b) => b.bytes - a.bytes);
}
