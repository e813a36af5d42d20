import { parseStat } from '../kernel/procfs/stat.js';
import { parseStatusRealUid } from '../kernel/procfs/status.js';
import { READ_AHEAD_BYTES, type ProcReader } from '../kernel/procReader.js';

/** How many processes readAhead() has in flight at once (measured best on 2 cores: 8-16). */
const READ_AHEAD_IN_FLIGHT = 12;

/** What else a scan will read of each process, for readAhead(). */
export interface ReadAheadOptions {
  /** status too (a scan that wants UIDs). */
  status?: boolean;
  /** Only processes of this real UID need their smaps_rollup (with status). */
  uid?: number;
  /** Processes whose stat shows more RSS than this (pages) are not measured from smaps_rollup (ScanOptions.rollupMaxRssPages). */
  rollupMaxRssPages?: number;
  /** Processes the read budget's plan does not read exactly (ScanOptions.plan): their smaps_rollup is never read ahead. */
  skipRollup?: ReadonlyMap<number, unknown>;
  /** Processes whose stat shows at least this RSS (pages) are read by the scan itself, in line, timed (ScanPlan.inLineFromRssPages). */
  inLineFromRssPages?: number;
}

/**
 * stat's RSS (pages) through the held descriptor; NaN on any failure. The text
 * is kept: it is the scan's first read of that stat (see ProcReader.open()).
 */
function rssPagesOf(reader: ProcReader, pid: number): number {
  const text = reader.readAheadNow(`${pid}/stat`);
  if (text === undefined) return NaN;
  const stat = parseStat(text);
  if (!stat.ok) return NaN;
  reader.keepAhead(`${pid}/stat`, text);
  return stat.value.rssPages;
}

/**
 * Opens PID/stat and reads PID/smaps_rollup (and status) of these processes ahead of a
 * scan, many reads at once on libuv's threads: the kernel's walk of each process's
 * page tables is most of a scan, and this spreads it over the CPUs (on 2
 * cores a whole-machine scan took 20-25% less wall time). Only that read goes
 * to the pool; the opens are made here (ProcReader.holdAhead, fetchAhead): one
 * trip through the pool per process instead of three took 7% off a bare report's
 * wall time and 7-9% off its CPU (docs/bench.md). The scan then takes
 * both from the reader, in its usual order: stat was opened before smaps_rollup was
 * read, and every read of stat comes after, so the held stat still vouches for
 * the figures. Anything that failed here is simply read again by the scan, which
 * classifies it. The scan's policy decides what is worth reading: another user's
 * process (`uid`) or one over the RSS ceiling needs no smaps_rollup. Only for a
 * reader that readsAhead; call reader.releaseAhead() after the scan.
 *
 * With `onReady`, each process is handed to it (on the main thread) as soon
 * as its files are in, so that the scan of one runs while the threads walk
 * the page tables of the next; an exception from it stops new reads and
 * rejects once those in flight are done.
 */
export function readAhead(reader: ProcReader, pids: readonly number[], options: ReadAheadOptions = {}, onReady?: (pid: number) => void): Promise<void> {
  if (!reader.readsAhead || pids.length === 0) return Promise.resolve();
  const buffers: Buffer[] = [];
  return new Promise((resolve, reject) => {
    let next = 0;
    let active = 0;
    let failed: { error: unknown } | undefined;
    // A process can be done before its start returns (an open that failed, a read not wanted):
    // starts are made in a loop, never from inside one another, however many come in a row.
    let starting = false;
    const fill = (): void => {
      if (starting) return;
      starting = true;
      while (failed === undefined && active < READ_AHEAD_IN_FLIGHT && next < pids.length) start();
      starting = false;
      if (active > 0 || (failed === undefined && next < pids.length)) return;
      if (failed === undefined) resolve();
      else reject(failed.error);
    };
    const finish = (pid: number, buffer: Buffer): void => {
      buffers.push(buffer);
      active--;
      if (onReady !== undefined && failed === undefined) {
        try {
          onReady(pid);
        } catch (error) {
          failed = { error }; // no more starts; what is in flight drains, then the promise rejects
        }
      }
      fill();
    };
    const start = (): void => {
      const pid = pids[next++];
      const buffer = buffers.pop() ?? Buffer.allocUnsafe(READ_AHEAD_BYTES);
      active++;
      if (!reader.holdAhead(`${pid}/stat`)) return finish(pid, buffer);
      const rollup = (): void => {
        if (options.skipRollup?.has(pid) === true) return finish(pid, buffer);
        const { rollupMaxRssPages, inLineFromRssPages } = options;
        if (rollupMaxRssPages !== undefined || inLineFromRssPages !== undefined) {
          const pages = rssPagesOf(reader, pid);
          if (rollupMaxRssPages !== undefined && !(pages <= rollupMaxRssPages)) return finish(pid, buffer);
          if (inLineFromRssPages !== undefined && !(pages < inLineFromRssPages)) return finish(pid, buffer);
        }
        reader.fetchAhead(`${pid}/smaps_rollup`, buffer, () => finish(pid, buffer));
      };
      if (options.status !== true) return rollup();
      // status here, on the main thread, which is otherwise idle while the threads walk page tables:
      // one sync read costs it less than two more trips through the thread pool.
      const status = reader.readAheadNow(`${pid}/status`);
      if (status === undefined) return finish(pid, buffer);
      reader.keepAhead(`${pid}/status`, status);
      if (options.uid === undefined) return rollup();
      // Another user's process is left out by the scan: its page tables need no walk.
      const uid = parseStatusRealUid(status);
      if (uid.ok && uid.value === options.uid) rollup();
      else finish(pid, buffer);
    };
    fill();
  });
}
