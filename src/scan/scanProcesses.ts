import { addCounters, emptyCounters, MAX_COUNT, type MemoryCounters } from '../kernel/procfs/memoryCounters.js';
import { parseSmaps } from '../kernel/procfs/smaps.js';
import { parseSmapsRollup } from '../kernel/procfs/smapsRollup.js';
import { isKernelThread, type ProcessStat } from '../kernel/procfs/stat.js';
import { parseStatus, parseStatusRealUid, type ProcessStatus } from '../kernel/procfs/status.js';
import type { ProcessSample, ScanCounts, ScanResult, SmapsSource } from '../model/processSample.js';
import { ProcReader, type ReadOutcome } from '../kernel/procReader.js';
import { readAhead, type ReadAheadOptions } from './readAhead.js';
import { readProcessIdentity } from './readProcessIdentity.js';
import type { KnownNames } from './knownNames.js';
import { parseStat } from '../kernel/procfs/stat.js';
import { fatal, holdStat, isUnexpected, MalformedProcess, stillSameProcess, unparsable, ScanFailure, type HeldStat } from './readStat.js';
import { describeReadFailure, type ReadFailure } from '../kernel/readFailure.js';
import { cheapFromStatus } from '../budget/cheapFigures.js';
import { figuresWithoutRead } from '../budget/carryForward.js';
import { plannedSkip, planTime, type PlannedSkip, type ScanPlan } from './scanPlan.js';

export { ScanFailure };

export interface ScanOptions {
  /** Only these PIDs. */
  pids?: number[];
  /** Only processes whose real UID is this. */
  uid?: number;
  /** Estimate unreadable processes from status. */
  estimate: boolean;
  /** Read /proc/PID/cgroup too (for --group cgroup). */
  cgroups: boolean;
  /** Read each process's oom_score (default: yes); a text or CSV report that shows no OOM column does without. */
  oomScores?: boolean;
  /** Read every process's status for its UID (--group user, capture); -u implies it. */
  uids?: boolean;
  /** Read exe and command line to name each process (default); --group user and cgroup need no names. */
  names?: boolean;
  /**
   * Whether a process with this exe path (else its kernel name) needs its
   * command line read; by default every one does. Only interpreters and
   * --group cmdline use it, and it is one read more per process.
   */
  needsCmdline?: (exeOrName: string) => boolean;
  /** Names kept from the last scan (serve): read again only for a process that is new, exec'd, or kept a while (scan/knownNames.ts). */
  knownNames?: KnownNames;
  /**
   * Above this RSS (stat's, in pages) a process is measured from its status
   * instead of smaps_rollup, whose read walks all its page tables under its mmap
   * lock: milliseconds for a very large process, stalled while it lasts.
   */
  rollupMaxRssPages?: number;
  /**
   * The read budget's plan (scanPlan.ts): the processes it skips are not read
   * exactly (their figures carried forward, or from status); the others are, and
   * each read is timed. Absent: every process read exactly, as a one-shot report does.
   */
  plan?: ScanPlan;
  /** Time each exact read (ProcessSample.readMs): --timing; a plan implies it. */
  timing?: boolean;
  /** Leave this PID out (footprint's own, on a live scan). */
  selfPid?: number;
  /** UID of the user scanning, to tell "other users' processes" apart. */
  viewerUid?: number;
  /** Count footprint's own threads too (ScanResult.visibleThreads), where /proc hides processes. */
  countSelfThreads?: boolean;
}

type Outcome =
  | { kind: 'measured'; sample: ProcessSample; source: SmapsSource }
  | { kind: 'overCeiling'; sample: ProcessSample }
  | { kind: 'notRead'; sample: ProcessSample }
  | { kind: 'kernelThread' | 'zombie' | 'gone' | 'filtered' }
  | { kind: 'malformed'; detail: string }
  | { kind: 'denied'; uid: number; estimate?: ProcessSample };

/** What one tally holds, as plain data: what a worker thread sends back of its share of a scan. */
export interface TallyPart {
  counts: ScanCounts;
  samples: ProcessSample[];
  deniedOtherUsers: number;
  overRollupCeiling: number;
  sources: Record<SmapsSource, number>;
  /** What was wrong with the first malformed process (the lowest PID of this share). */
  malformedDetail?: { pid: number; detail: string };
  visibleThreads: number;
}

/** A scan's outcomes as they come, one process at a time, in any order. */
export class ScanTally implements TallyPart {
  readonly counts: ScanCounts = { seen: 0, measured: 0, kernelThreads: 0, denied: 0, gone: 0, zombies: 0, estimated: 0, malformed: 0 };
  readonly samples: ProcessSample[] = [];
  deniedOtherUsers = 0;
  overRollupCeiling = 0;
  malformedDetail: { pid: number; detail: string } | undefined;
  /** Threads of every process whose stat was read (stat field 20). */
  visibleThreads = 0;
  private selfPid: number | undefined;
  /** Asked for by number and not there (-p). */
  private readonly absentPids: number[] = [];
  /** Every counter of every sample taken, summed (see admit). */
  private bytesSoFar = 0;
  readonly sources = { smaps_rollup: 0, smaps: 0 };

  constructor(private readonly reader: ProcReader, private readonly options: ScanOptions) {}

  /** Adds another thread's share of the same scan. */
  merge(part: TallyPart): void {
    for (const key of Object.keys(this.counts) as (keyof ScanCounts)[]) this.counts[key] += part.counts[key];
    for (const sample of part.samples) this.samples.push(sample);
    this.deniedOtherUsers += part.deniedOtherUsers;
    this.overRollupCeiling += part.overRollupCeiling;
    this.sources.smaps_rollup += part.sources.smaps_rollup;
    this.sources.smaps += part.sources.smaps;
    this.visibleThreads += part.visibleThreads;
    if (part.malformedDetail !== undefined) this.noteMalformed(part.malformedDetail.pid, part.malformedDetail.detail);
  }

  part(): TallyPart {
    const { counts, samples, deniedOtherUsers, overRollupCeiling, sources, malformedDetail, visibleThreads } = this;
    return { counts, samples, deniedOtherUsers, overRollupCeiling, sources, malformedDetail, visibleThreads };
  }

  /**
   * Whether the sample's figures keep every sum the report makes of them
   * (groups, totals, which add up to the sum of all counters at most) within
   * MAX_COUNT, so that JSON's byte counts stay exact integers. Each count is
   * bounded when parsed, but a crafted tree can hold many processes of 8 PiB:
   * one that would cross the bound is malformed (`pid`), or, for an estimate
   * (undefined), not estimated. A live machine's figures are nowhere near it,
   * which is why a partner thread's share is not checked again on merge.
   */
  private admit(pid: number | undefined, sample: ProcessSample): boolean {
    const bytes = this.bytesSoFar + countersBytes(sample.counters);
    if (bytes <= MAX_COUNT) {
      this.bytesSoFar = bytes;
      return true;
    }
    if (pid !== undefined) {
      this.counts.malformed++;
      this.noteMalformed(pid, `${this.reader.path(String(pid))}: figures that would take the report's sums past ${MAX_COUNT} bytes`);
    }
    return false;
  }

  private noteMalformed(pid: number, detail: string): void {
    if (this.malformedDetail === undefined || pid < this.malformedDetail.pid) this.malformedDetail = { pid, detail };
  }

  add(pid: number): void {
    const { counts, options } = this;
    if (pid === options.selfPid) {
      if (options.countSelfThreads) this.visibleThreads += threadsOf(this.reader, pid);
      // -u of another user: footprint is not among the processes asked for, so not even seen.
      if (options.uid !== undefined && options.uid !== process.getuid?.()) return;
      this.selfPid = pid;
      counts.seen++;
      return;
    }
    const outcome = scanOne(this.reader, pid, options, this);
    if (outcome.kind === 'filtered') return;
    counts.seen++;
    switch (outcome.kind) {
      case 'measured':
        if (!this.admit(pid, outcome.sample)) break;
        counts.measured++;
        this.sources[outcome.source]++;
        this.samples.push(outcome.sample);
        break;
      case 'overCeiling':
        if (!this.admit(pid, outcome.sample)) break;
        counts.measured++;
        this.overRollupCeiling++;
        this.samples.push(outcome.sample);
        break;
      case 'notRead':
        if (!this.admit(pid, outcome.sample)) break;
        counts.measured++;
        this.samples.push(outcome.sample);
        break;
      case 'kernelThread': counts.kernelThreads++; break;
      case 'malformed':
        counts.malformed++;
        this.noteMalformed(pid, outcome.detail);
        break;
      case 'zombie': counts.zombies++; break;
      case 'gone':
        counts.gone++;
        if (options.pids !== undefined) this.absentPids.push(pid);
        break;
      case 'denied':
        counts.denied++;
        if (options.viewerUid !== undefined && outcome.uid !== options.viewerUid) this.deniedOtherUsers++;
        if (outcome.estimate !== undefined && this.admit(undefined, outcome.estimate)) {
          counts.estimated++;
          this.samples.push(outcome.estimate);
        }
        break;
    }
  }

  result(started: bigint): ScanResult {
    const { samples, counts, deniedOtherUsers, overRollupCeiling, selfPid, sources, malformedDetail, visibleThreads } = this;
    const source: SmapsSource = sources.smaps > sources.smaps_rollup ? 'smaps' : 'smaps_rollup';
    return {
      samples, counts, deniedOtherUsers, overRollupCeiling, selfPid, source, malformedDetail: malformedDetail?.detail, visibleThreads,
      ...(this.absentPids.length > 0 ? { absentPids: [...this.absentPids].sort((a, b) => a - b) } : {}),
      ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
    };
  }
}

export function listProcesses(reader: ProcReader, options: ScanOptions): number[] {
  const listed = options.pids ?? reader.listPids();
  if (!Array.isArray(listed)) throw new ScanFailure(describeReadFailure(listed));
  return listed;
}

/**
 * Walks the process list and measures every process it may read. Never throws
 * for a process that is unreadable, exits or is reused mid-scan: each such
 * process is counted by its reason. Throws ScanFailure only when /proc itself
 * cannot be listed or gives an unexpected error.
 */
export function scanProcesses(reader: ProcReader, options: ScanOptions): ScanResult {
  // process.hrtime, not performance.now(): the performance global loads perf_hooks.
  const started = process.hrtime.bigint();
  const tally = new ScanTally(reader, options);
  for (const pid of listProcesses(reader, options)) tally.add(pid);
  return tally.result(started);
}

/**
 * scanProcesses, with each process's files read ahead on libuv's threads
 * (readAhead) and each process scanned on the main thread as soon as
 * they are in: the kernel's walks of page tables and footprint's own work on
 * the processes already read share the CPUs. The same scan, outcome for
 * outcome; its samples come in PID order, as a listing gives them. The caller
 * calls reader.releaseAhead() after it, as after any read-ahead.
 */
export async function scanProcessesAhead(reader: ProcReader, options: ScanOptions): Promise<ScanResult> {
  const started = process.hrtime.bigint();
  const tally = new ScanTally(reader, options);
  const listed = listProcesses(reader, options);
  if (!reader.readsAhead) {
    for (const pid of listed) tally.add(pid);
    return tally.result(started);
  }
  if (options.selfPid !== undefined && listed.includes(options.selfPid)) tally.add(options.selfPid);
  await readAhead(reader, listed.filter((pid) => pid !== options.selfPid), readAheadOptionsFor(options), (pid) => tally.add(pid));
  tally.samples.sort((a, b) => a.pid - b.pid);
  return tally.result(started);
}

/** What the reader fetches ahead for a scan with these options: status where it wants UIDs (-u, --group user), smaps_rollup for the processes it will measure. */
export function readAheadOptionsFor(options: ScanOptions): ReadAheadOptions {
  const ahead: ReadAheadOptions = { status: options.uids === true || options.uid !== undefined, uid: options.uid, rollupMaxRssPages: options.rollupMaxRssPages };
  if (options.plan !== undefined) {
    ahead.skipRollup = options.plan.skip;
    ahead.inLineFromRssPages = options.plan.inLineFromRssPages;
  }
  return ahead;
}

/** The real UID from status, for -u and --group user; a search, not a parse. */
function readRealUid(reader: ProcReader, pid: number): number | ReadFailure {
  const text = reader.read(`${pid}/status`);
  if (!text.ok) return text;
  const uid = parseStatusRealUid(text.text);
  if (!uid.ok) unparsable(reader, pid, uid.error);
  return uid.value;
}

/** Every figure of the counters added together: no sum the report makes of them is larger. */
function countersBytes(c: MemoryCounters): number {
  return c.rss + c.pss + c.sharedClean + c.sharedDirty + c.privateClean + c.privateDirty + c.privateHugetlb + c.sharedHugetlb
    + c.anonymous + c.swap + (c.swapPss ?? 0) + (c.pssAnon ?? 0) + (c.pssShmem ?? 0);
}

/** footprint's own thread count (its stat is not read otherwise); 0 if it cannot be read. */
function threadsOf(reader: ProcReader, pid: number): number {
  const text = reader.read(`${pid}/stat`);
  const stat = text.ok ? parseStat(text.text) : undefined;
  return stat?.ok === true ? stat.value.threads : 0;
}

/** status costs a read and a parse per process; only UIDs, and estimates, need it. */
function readStatus(reader: ProcReader, pid: number): ProcessStatus | ReadFailure {
  const text = reader.read(`${pid}/status`);
  if (!text.ok) return text;
  const status = parseStatus(text.text);
  if (!status.ok) unparsable(reader, pid, status.error);
  return status.value;
}

/**
 * One process's outcome. A malformed one (MalformedProcess, from any of its
 * files) is that process left out with its reason; the scan goes on.
 */
function scanOne(reader: ProcReader, pid: number, options: ScanOptions, threads: { visibleThreads: number }): Outcome {
  try {
    const held = holdStat(reader, pid);
    if ('ok' in held) return held.reason === 'fatal' || held.reason === 'malformed' ? fatal(held) : held.reason === 'denied' ? { kind: 'denied', uid: -1 } : { kind: 'gone' };
    threads.visibleThreads += held.stat.threads;
    try {
      return measureHeld(reader, pid, held, options);
    } catch (error) {
      // A process that exits while it is read leaves a zombie's header-only smaps_rollup:
      // that is a process gone, not a malformed one.
      if (error instanceof MalformedProcess && reader.bindsProcesses) {
        const now = stillSameProcess(reader, held);
        if (now !== 'same') return { kind: now };
      }
      throw error;
    } finally {
      reader.close(held.file);
    }
  } catch (error) {
    if (error instanceof MalformedProcess) return { kind: 'malformed', detail: error.message };
    throw error;
  }
}

function measureHeld(reader: ProcReader, pid: number, held: HeldStat, options: ScanOptions): Outcome {
  const { stat } = held;
  let status: ProcessStatus | undefined;
  let uid: number | undefined;
  if (options.uid !== undefined || options.uids) {
    const read = readRealUid(reader, pid);
    if (typeof read !== 'number') return isUnexpected(read) ? fatal(read) : { kind: 'gone' };
    if (options.uid !== undefined && read !== options.uid) return { kind: 'filtered' };
    uid = read;
  }
  // PF_KTHREAD in stat's flags marks a kernel thread on every kernel (status says so too since 6.0).
  if (isKernelThread(stat)) return { kind: 'kernelThread' };
  if (stat.state === 'Z' || stat.state === 'X') return { kind: 'zombie' };
  if (options.rollupMaxRssPages !== undefined && stat.rssPages > options.rollupMaxRssPages) {
    const estimate = estimateOverCeiling(reader, pid, held, options);
    if (estimate?.kind === 'overCeiling' && uid !== undefined) estimate.sample.uid = uid;
    if (estimate !== undefined) return estimate;
  }
  const skip = plannedSkip(options.plan, pid, stat.startTime, stat.rssPages);
  if (skip !== undefined) {
    const notRead = figuresNotRead(reader, pid, held, skip, planTime(options.plan!), options);
    if (notRead?.kind === 'notRead' && uid !== undefined) notRead.sample.uid = uid;
    if (notRead !== undefined) return notRead;
  }

  const timed = options.plan !== undefined || options.timing === true;
  // process.hrtime, not performance.now(): the performance global loads perf_hooks.
  const readStarted = timed ? process.hrtime.bigint() : 0n;
  const measured = readCounters(reader, pid);
  // A read made ahead on libuv's threads (readAhead) is not timed: its time there was the wait for a thread too.
  const readMs = timed && measured.kind === 'read' && !measured.ahead ? Number(process.hrtime.bigint() - readStarted) / 1e6 : undefined;
  if (measured.kind === 'failed') {
    const failure = measured.failure;
    if (isUnexpected(failure)) fatal(failure);
    // Denied live, or (in a captured tree) the capture could not read it either.
    // The UID says whose it is; the estimate reads exe and cmdline, so both come
    // before the identity check: a PID reused in between must not lend its new
    // owner or name to these figures.
    // A captured tree lacks the files its capturer could not read: 'missing' there is what 'denied' is live.
    if (status === undefined && (failure.reason === 'denied' || (failure.reason === 'missing' && !reader.bindsProcesses))) {
      const read = readStatus(reader, pid);
      if (!('ok' in read)) status = read;
      else if (isUnexpected(read)) fatal(read);
    }
    const estimate = options.estimate && failure.reason !== 'exited' && status !== undefined
      ? estimateFromStatus(reader, pid, stat, status, options) : undefined;
    const now = stillSameProcess(reader, held);
    if (now !== 'same') return { kind: now };
    // ESRCH from a process that is still there: it is exiting and has dropped its memory.
    if (failure.reason === 'exited') return { kind: 'gone' };
    return { kind: 'denied', uid: uid ?? status?.uids[0] ?? -1, estimate };
  }

  const sample = describe(reader, pid, stat, status, measured.counters, false, options, held.text);
  if (uid !== undefined) sample.uid = uid;
  if (options.plan !== undefined) {
    sample.basis = 'exact';
    sample.exactAgeMs = 0;
    sample.readAtMs = planTime(options.plan, readStarted);
  }
  if (readMs !== undefined) sample.readMs = readMs;
  const now = stillSameProcess(reader, held);
  if (now !== 'same') return { kind: now };
  return { kind: 'measured', sample, source: measured.source };
}

/**
 * A process over the --rollup-max-rss ceiling, from its status (see
 * estimateFromStatus); undefined where status has no RssAnon (Linux < 4.5),
 * so that the scan measures it the usual way.
 */
function estimateOverCeiling(
  reader: ProcReader, pid: number, held: HeldStat, options: ScanOptions,
): { kind: 'overCeiling'; sample: ProcessSample } | { kind: 'gone' | 'zombie' } | undefined {
  const status = readStatus(reader, pid);
  if ('ok' in status) return isUnexpected(status) ? fatal(status) : { kind: 'gone' };
  const sample = estimateFromStatus(reader, pid, held.stat, status, options);
  if (sample === undefined) return undefined;
  const now = stillSameProcess(reader, held);
  return now === 'same' ? { kind: 'overCeiling', sample } : { kind: now };
}

/**
 * A process the plan does not read exactly: its last exact figures carried
 * forward by the change in status's counters since, or, where it has no exact
 * read yet, status's figures (marked estimated, as any estimate from status).
 * undefined where status has no RssAnon (Linux < 4.5): the scan reads it exactly.
 */
function figuresNotRead(
  reader: ProcReader, pid: number, held: HeldStat, skip: PlannedSkip, nowMs: number, options: ScanOptions,
): { kind: 'notRead'; sample: ProcessSample } | { kind: 'gone' | 'zombie' } | undefined {
  const status = readStatus(reader, pid);
  if ('ok' in status) return isUnexpected(status) ? fatal(status) : { kind: 'gone' };
  const cheap = cheapFromStatus(status);
  if (cheap === undefined) return undefined;
  const figures = figuresWithoutRead(skip.exact, cheap, nowMs);
  const sample = describe(reader, pid, held.stat, status, figures.counters, figures.basis === 'status', options, held.text);
  sample.basis = figures.basis;
  if (figures.exactAgeMs !== undefined) sample.exactAgeMs = figures.exactAgeMs;
  // Never read exactly: how long since first seen (a process the plan did not list is seen now).
  else sample.unreadForMs = Math.max(0, nowMs - (skip.firstSeenAtMs ?? nowMs));
  const now = stillSameProcess(reader, held);
  return now === 'same' ? { kind: 'notRead', sample } : { kind: now };
}

type CountersRead =
  /** ahead: smaps_rollup was read ahead of the scan, on libuv's threads (readAhead), untimed. */
  | { kind: 'read'; counters: MemoryCounters; source: SmapsSource; ahead: boolean }
  | { kind: 'failed'; failure: ReadFailure };

/**
 * smaps_rollup (Linux 4.14+) is the kernel's own sum: 2-3x cheaper to read than
 * smaps and more precise for Pss (no per-mapping rounding). Older kernels, and
 * captured trees from them, only have smaps, which we sum ourselves.
 */
function readCounters(reader: ProcReader, pid: number): CountersRead {
  const ahead = reader.takeAhead(`${pid}/smaps_rollup`);
  const rollup: ReadOutcome = ahead !== undefined ? { ok: true, text: ahead } : reader.read(`${pid}/smaps_rollup`);
  if (rollup.ok) {
    const counters = parseSmapsRollup(rollup.text);
    if (!counters.ok) unparsable(reader, pid, counters.error);
    return { kind: 'read', counters: counters.value, source: 'smaps_rollup', ahead: ahead !== undefined };
  }
  if (rollup.reason !== 'missing') return { kind: 'failed', failure: rollup };
  const smaps = reader.read(`${pid}/smaps`);
  if (!smaps.ok) return { kind: 'failed', failure: smaps };
  const mappings = parseSmaps(smaps.text);
  if (!mappings.ok) unparsable(reader, pid, mappings.error);
  const counters = emptyCounters();
  for (const mapping of mappings.value) addCounters(counters, mapping.counters);
  return { kind: 'read', counters, source: 'smaps', ahead: false };
}

function describe(
  reader: ProcReader, pid: number, stat: ProcessStat, status: ProcessStatus | undefined,
  counters: MemoryCounters, estimated: boolean, options: ScanOptions, statText?: string,
): ProcessSample {
  return { ...readProcessIdentity(reader, pid, stat, status, options, statText), counters, estimated };
}

/**
 * status is world-readable where smaps is not: RssAnon stands in for writable
 * memory, RssFile + RssShmem for shared. Marked as an estimate everywhere it shows.
 */
function estimateFromStatus(
  reader: ProcReader, pid: number, stat: ProcessStat, status: ProcessStatus, options: ScanOptions,
): ProcessSample | undefined {
  if (status.rssAnon === undefined || status.vmRss === undefined) return undefined;
  const counters = emptyCounters();
  const shared = (status.rssFile ?? 0) + (status.rssShmem ?? 0);
  counters.privateDirty = status.rssAnon;
  counters.pss = status.rssAnon + shared;
  counters.rss = status.vmRss;
  counters.swap = status.vmSwap ?? 0;
  return describe(reader, pid, stat, status, counters, true, options);
}
