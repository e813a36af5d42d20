import type { OomMark } from '../model/oomMark.js';
import type { Report } from '../model/report.js';
import type { ProcReader } from '../kernel/procReader.js';
import { ensureReportDir } from '../store/ensureReportDir.js';
import { describeFileError } from '../kernel/files/fileErrors.js';
import { ReportWriteError, writeReportAtomically } from '../store/writeReport.js';
import { escapeText } from '../render/escapeText.js';
import { KernelOomLines, type KernelOomKill } from '../kernel/kmsg/kernelOomLine.js';
import { KmsgReader } from '../kernel/kmsgReader.js';
import type { LiveHierarchy } from './liveHierarchy.js';
import { noticeKills, type NoticedKills } from './core/noticeKills.js';
import { readOomCounts, type OomCounts } from './readOomCounts.js';
import { describeOomMark } from '../render/describeOomMark.js';

/** Kernel kill lines kept for a later reading, when a counter rose after the line was read: a few kills, not a log. */
const MAX_PENDING_KERNEL_KILLS = 64;

export interface OomWatchOptions {
  /** The report directory (resolveReportDir), made at the first kill. */
  dir: string;
  /** "footprint watch", "footprint serve": how its stderr lines start. */
  who: string;
  warn: (line: string) => void;
  hierarchy: LiveHierarchy | undefined;
  /** /dev/kmsg, where it can be read (root); undefined: victims from the cgroups alone. */
  kmsg?: KmsgReader;
}

/**
 * Notices OOM kills between two scans of a long-running mode and keeps the
 * picture before them: after each scan the kill counters are read (the
 * machine's in /proc/vmstat, every memory cgroup's), and when one rose since
 * the reading after the scan before, that scan — certainly taken before the
 * kill — is saved into the report directory as an OOM report. Only one scan
 * and one reading are held at a time, so its memory does not grow.
 */
export class OomWatch {
  private previous: { report: Report; counts: OomCounts; carried: number } | undefined;
  private readonly lines = new KernelOomLines();
  private pending: KernelOomKill[] = [];
  /** A rise whose victims could not all be told was let wait one reading. */
  private waited = false;

  constructor(private readonly options: OomWatchOptions) {}

  /** Opens /dev/kmsg where permitted (root): from then on, the kernel's own line names each victim. */
  static start(options: Omit<OomWatchOptions, 'kmsg'>): OomWatch {
    const kmsg = KmsgReader.open();
    return new OomWatch({ ...options, kmsg: kmsg.ok ? kmsg.reader : undefined });
  }

  /** The kill counters now (serve's metrics read them too, from the same reading). */
  readCounts(proc: ProcReader | undefined): OomCounts {
    return readOomCounts(proc, this.options.hierarchy);
  }

  /** After a scan: reads the counters, observes, and hands the reading on (for serve's metrics). */
  afterScan(report: Report, proc: ProcReader | undefined): OomCounts {
    const counts = this.readCounts(proc);
    this.observe(report, counts);
    return counts;
  }

  /**
   * After a scan: `counts` read just after it. Returns the mark of the OOM
   * report saved, if one was; then this scan becomes the one before.
   */
  observe(report: Report, counts: OomCounts, now = new Date()): OomMark | undefined {
    const drained: KernelOomKill[] = [];
    this.options.kmsg?.drain((message, continued) => {
      const kill = this.lines.take(message, continued);
      if (kill !== undefined) drained.push(kill);
    });
    const kernelKills = [...this.pending, ...drained].slice(-MAX_PENDING_KERNEL_KILLS);
    let noticed: NoticedKills | undefined;
    if (this.previous !== undefined) {
      noticed = noticeKills({
        before: this.previous.counts, after: counts, kills: this.options.hierarchy?.kills ?? 'subtree', carried: this.previous.carried,
        kernelKills, report: this.previous.report, noticedAt: now,
      });
      // The counters rise before the victim exits (and leaves cgroup.procs) and before the kernel logs
      // its Killed line: a reading in between cannot tell who it was. Such a rise waits one reading,
      // compared then against the same reading before (and the same report, still before the kill).
      const { mark } = noticed;
      if (mark !== undefined && !this.waited && mark.kills.some((kill) => kill.victims.length < kill.count)) {
        this.waited = true;
        this.pending = kernelKills;
        return undefined;
      }
      this.waited = false;
      if (mark !== undefined) this.save({ ...this.previous.report, oom: mark }, mark);
    }
    // A line no kill claimed is kept one reading more: its kill was counted after this reading (the
    // kernel counts, then logs), or carried to the next. Older ones are no kill's to come.
    const fresh = new Set(drained);
    this.pending = (noticed?.unclaimed ?? kernelKills).filter((kill) => fresh.has(kill));
    this.previous = { report, counts, carried: noticed?.carried ?? 0 };
    return noticed?.mark;
  }

  private save(report: Report, mark: OomMark): void {
    const { dir, who, warn } = this.options;
    const what = describeOomMark(mark);
    try {
      ensureReportDir(dir);
      const path = writeReportAtomically(dir, report, Date.parse(report.time), { oom: true });
      warn(`${who}: ${what}; the report before it saved as ${escapeText(path)}\n`);
    } catch (error) {
      const why = error instanceof ReportWriteError ? `${error.message}: ${describeFileError(error.cause)}` : (error as Error).message;
      warn(`${who}: ${what}; the report before it NOT saved: ${escapeText(why)}\n`);
    }
  }

  close(): void {
    this.options.kmsg?.close();
  }
}

