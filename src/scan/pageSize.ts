import { parseStat } from '../kernel/procfs/stat.js';
import { parseStatus } from '../kernel/procfs/status.js';
import type { ProcReader } from '../kernel/procReader.js';

/** How many processes to try before giving up: one with RSS is nearly always the first. */
const CANDIDATES = 16;

/**
 * The page size of the tree's machine, which stat counts RSS in: no
 * world-readable file states it, but a process's stat (RSS in pages) and status
 * (VmRSS in kB) count the same pages. Read back to back they may differ by a
 * page or two, so the ratio is rounded to a power of two. Tries footprint's own
 * process first on a live /proc, then the tree's processes; undefined if none
 * has both.
 */
export function readPageSize(reader: ProcReader, selfPid?: number): number | undefined {
  const listed = reader.listPids();
  const pids = [...(selfPid === undefined ? [] : [selfPid]), ...(Array.isArray(listed) ? listed.slice(0, CANDIDATES) : [])];
  for (const pid of pids) {
    const stat = reader.read(`${pid}/stat`);
    const status = reader.read(`${pid}/status`);
    if (!stat.ok || !status.ok) continue;
    const pages = parseStat(stat.text);
    const figures = parseStatus(status.text);
    if (!pages.ok || !figures.ok || figures.value.vmRss === undefined || pages.value.rssPages <= 0) continue;
    const ratio = figures.value.vmRss / pages.value.rssPages;
    if (ratio > 0) return 2 ** Math.round(Math.log2(ratio));
  }
  return undefined;
}
