/**
 * What the probe between full samples reads: /proc/PID/statm, which the kernel
 * fills from its per-mm RSS counters without walking a page table (a few µs
 * however large the process), where smaps_rollup walks them all (~10 ms per GiB).
 */

/** Resident pages of a statm line ("size resident shared text lib data dt"); undefined when malformed. */
export function residentPagesOf(statm: string): number | undefined {
  const start = statm.indexOf(' ');
  if (start < 0) return undefined;
  const end = statm.indexOf(' ', start + 1);
  const value = Number(statm.slice(start + 1, end < 0 ? undefined : end));
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** VmHWM of a status text in bytes: the kernel's own high-water mark of the process's RSS; undefined for a zombie or kernel thread. */
export function vmHwmOf(status: string): number | undefined {
  const at = status.indexOf('\nVmHWM:');
  if (at < 0) return undefined;
  const match = /^\s*(\d+) kB/.exec(status.slice(at + 7, at + 40));
  if (match === null) return undefined;
  const kB = Number(match[1]);
  return Number.isSafeInteger(kB * 1024) ? kB * 1024 : undefined;
}

/**
 * The page size, from one process's statm and status read one after the other:
 * VmRSS (kB) over resident pages, rounded to a power of two (a page or two that
 * changes between the reads cannot move the ratio that far). 4096 when either is unreadable.
 */
export function pageSizeOf(statm: string | undefined, status: string | undefined): number {
  const pages = statm === undefined ? undefined : residentPagesOf(statm);
  const rss = status === undefined ? undefined : /^VmRSS:\s*(\d+) kB/m.exec(status);
  if (pages === undefined || pages === 0 || rss === null || rss === undefined) return 4096;
  const ratio = (Number(rss[1]) * 1024) / pages;
  return 2 ** Math.round(Math.log2(ratio));
}

/** Whether `environ` (NUL-separated, as /proc/PID/environ) holds exactly the entry `marker` ("FOOTPRINT_RUN=ID"). */
export function environHolds(environ: string, marker: string): boolean {
  return environ.includes(marker) && environ.split('\0').includes(marker);
}
