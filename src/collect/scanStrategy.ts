import type { ScanResult } from '../model/processSample.js';
import type { ProcReader } from '../kernel/procReader.js';
import { scanProcesses, scanProcessesAhead, type ScanOptions } from '../scan/scanProcesses.js';
import type { ScanPartner } from '../scan/scanPartner.js';

/** How a scan runs: on the main thread alone, with its files read ahead on libuv's threads, or shared with a partner thread. */
export type ScanStrategy = 'one-thread' | 'read-ahead' | 'partner';

/**
 * A whole-machine scan by root reads every process's smaps_rollup: the reader
 * fetches them ahead, in parallel, and the scan takes each as it comes
 * (scanProcessesAhead), or a partner thread given for it (serve) scans beside
 * the main one. Not for -p (a few processes), nor for a reader that cannot read
 * ahead (a captured tree), nor, without a partner, for other users, who may
 * read few of them. A scan that times its reads (a read budget's plan, --timing)
 * is not read ahead either: a read on libuv's threads waits its turn in the pool,
 * and its time would not be the walk's (a partner's reads are the scan's own).
 */
export function chooseStrategy(reader: ProcReader, options: ScanOptions, partner?: ScanPartner): ScanStrategy {
  if (options.pids !== undefined || !reader.readsAhead) return 'one-thread';
  if (partner !== undefined) return 'partner';
  if (options.timing === true) return 'one-thread';
  return process.getuid?.() === 0 ? 'read-ahead' : 'one-thread';
}

/** One scan, run the way chooseStrategy picks. */
export async function scanWithStrategy(reader: ProcReader, options: ScanOptions, partner?: ScanPartner): Promise<ScanResult> {
  const strategy = chooseStrategy(reader, options, partner);
  if (strategy === 'one-thread') return scanProcesses(reader, options);
  try {
    return strategy === 'partner' ? await partner!.scan(reader, options) : await scanProcessesAhead(reader, options);
  } finally {
    reader.releaseAhead();
  }
}

/** Every process measured, none named: the processes' side of `cgroups`, one scan as the report's (read ahead as root). */
export function scanCgroupMembers(reader: ProcReader): Promise<ScanResult> {
  // footprint measures itself too: it is a member of its cgroup, charged like any other.
  return scanWithStrategy(reader, { estimate: false, cgroups: false, names: false, viewerUid: process.getuid?.() });
}
