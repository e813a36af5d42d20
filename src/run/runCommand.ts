import { constants } from 'node:os';
import { parseStat } from '../kernel/procfs/stat.js';
import { ProcReader } from '../kernel/procReader.js';
import { SampleClock } from '../sample/sampleClock.js';
import { TreeSampler, type TreeSample } from '../sample/treeSampler.js';
import type { RunDocument, RunKernelFigures, RunMark, RunSampling } from '../model/run.js';
import type { Timeline } from '../sample/timeline.js';
import { OutputRelay } from './outputRelay.js';
import type { MarkPattern } from './markPattern.js';
import { cgroupPids, createRunCgroup, moveSelfToCgroup, readCgroupCharge, removeRunCgroup, type RunCgroup } from '../cgroups/runCgroup.js';
import { DEFAULT_INTERVAL_MS, SamplingLoop } from './samplingLoop.js';
import { MS_PER_TICK, readSelfUsage } from './selfUsage.js';
import { SignalForwarder } from './signalForwarder.js';
import { RUN_MARKER_VARIABLE, describeSpawnError, spawnCommand } from './spawnCommand.js';
import { raiseSamplerPriority } from './samplerPriority.js';
import { RunStatsTally, type RunStats } from './runStats.js';

export { CommandNotRun, RUN_MARKER_VARIABLE } from './spawnCommand.js';
export { DEFAULT_INTERVAL_MS, PROBE_MS } from './samplingLoop.js';

/** The cgroup's member list is read at most this often (a new member is also found by its parent or FOOTPRINT_RUN). */
const CGROUP_PIDS_MS = 100;
/** How long CMD's output is still passed on after it ended, when something it left behind holds the pipe. */
const OUTPUT_GRACE_MS = 500;

export interface RunOptions {
  command: string[];
  /** A fixed interval; undefined: DEFAULT_INTERVAL_MS, coarsening on long runs. */
  intervalMs?: number;
  timelineCapacity?: number;
  /** Lines of CMD's stdout or stderr that match are marks on the timeline; CMD's output then goes through a pipe. */
  mark?: MarkPattern;
  /** At new peaks (throttled), read smaps of the process holding the most writable memory. */
  mappings?: boolean;
  /** false: no cgroup of the run's own (--no-cgroup). */
  cgroup?: boolean;
  /** Where a line about the run itself goes (a cgroup that could not be made); stderr by default. */
  notice?: (line: string) => void;
  /** The bench's hook (FOOTPRINT_RUN_STATS, read by the command): what the sampling cost, when CMD has ended. */
  onStats?: (stats: RunStats) => void;
}

/**
 * What happened, for the summary and the footprint.run/1 document: the document's own fields
 * (model/run.ts) that a run records as they are, and what it keeps beyond them.
 */
export interface RunRecord extends Pick<RunDocument, 'command' | 'exitCode' | 'userMs' | 'sysMs' | 'faults' | 'processesSeen' | 'intervalMs'
  | 'marks' | 'peakMappings' | 'sampling' | 'kernel' | 'followed' | 'noCgroup' | 'deniedSamples'> {
  signal: NodeJS.Signals | null;
  /** Unrounded (the document has whole ms). */
  wallMs: number;
  timeline: Timeline;
  /** The largest RAM used and RSS of any sample (the peak sample is the one with most writable memory). */
  peakRam: number;
  peakRss: number;
  /** The last sample that measured a process of the tree. */
  end?: TreeSample;
  sampleCount: number;
  /** The longest interval used (larger than intervalMs after a long run coarsened it, or a large tree slowed it). */
  finalIntervalMs: number;
  /** Signals footprint received and passed on to CMD's tree. */
  forwarded: NodeJS.Signals[];
  /** Matching lines beyond MAX_MARKS, not kept. */
  marksDropped: number;
  /** Whether the last byte of CMD's output that footprint passed on was not a newline: the summary then starts on a line of its own. */
  outputEndsMidLine?: boolean;
}

/** cgroupPids of the run's cgroup, read again only when the last read is `everyMs` old. */
function cgroupPidsEvery(cgroup: RunCgroup, everyMs: number, now: () => number): () => readonly number[] | undefined {
  let readAt = -Infinity;
  let pids: readonly number[] | undefined;
  return () => {
    if (now() - readAt < everyMs) return pids;
    readAt = now();
    pids = cgroupPids(cgroup);
    return pids;
  };
}

/**
 * Makes the run's cgroup and says why not where it cannot (one line; the run goes on
 * without it). Only root, or a user who may write to footprint's own memory cgroup
 * (a delegated subtree), tries.
 */
function makeRunCgroup(reader: ProcReader, id: string, options: RunOptions): { cgroup?: RunCgroup; reason?: string } {
  if (options.cgroup === false) return { reason: '--no-cgroup' };
  const self = reader.read('self/cgroup');
  if (!self.ok) return { reason: `cannot read /proc/self/cgroup (${self.code})` };
  const made = createRunCgroup(id, self.text);
  if (made.ok) return { cgroup: made.cgroup };
  // Not root and not delegated: the usual case for a user, no cause for a line.
  if (process.getuid?.() !== 0 && made.reason.startsWith('may not')) return { reason: made.reason };
  (options.notice ?? ((line) => process.stderr.write(line)))(`footprint: no cgroup for the run: ${made.reason}; going on without it\n`);
  return { reason: made.reason };
}

/**
 * Runs CMD with footprint's own stdin, stdout and stderr and samples the memory
 * of its whole tree until it ends (SamplingLoop). Page faults and CPU times are the kernel's
 * accounting of reaped children (/proc/self/stat fields 10-17, before and after),
 * exact even for children too short-lived to be sampled, as GNU time's are.
 * SIGINT, SIGTERM and SIGHUP are passed on to every process of the tree (SignalForwarder).
 * Where footprint may, CMD runs in a memory cgroup of its own, whose members are the tree and whose
 * peak is the kernel's; it is removed however the run ends.
 */
export async function runCommand(options: RunOptions): Promise<RunRecord> {
  const reader = new ProcReader();
  const before = readSelfUsage(reader);
  // Restarted when CMD is spawned: times (the wall time, samples', marks') are CMD's, not footprint's setting up.
  const clock = new SampleClock();
  const elapsedMs = () => clock.ms;
  let loop: SamplingLoop | undefined;
  const signals = new SignalForwarder(reader, () => loop?.last);
  // Unique enough to tell this run's processes from another run's (not a secret).
  const runId = `${process.pid}-${Math.floor(Math.random() * 2 ** 32).toString(16)}`;
  const notice = options.notice ?? ((line) => process.stderr.write(line));
  const { cgroup, reason: noCgroup } = makeRunCgroup(reader, runId, options);
  // However footprint ends (an error of its own, an exit from elsewhere), the cgroup goes; SIGKILL aside.
  const removeCgroup = () => {
    if (cgroup !== undefined) removeRunCgroup(cgroup);
  };
  if (cgroup !== undefined) process.once('exit', removeCgroup);
  try {
    const pidsBefore = reader.listPids();
    const existedBefore = Array.isArray(pidsBefore) ? new Set(pidsBefore) : undefined;
    const marking = options.mark !== undefined;
    // CMD inherits the cgroup of the process that forks it: footprint steps in for the spawn, and out.
    const entered = cgroup === undefined ? undefined : moveSelfToCgroup(cgroup, cgroup.dir);
    if (entered !== undefined) notice(`footprint: no cgroup for the run: ${entered}; going on without it\n`);
    const inCgroup = cgroup !== undefined && entered === undefined;
    const { child, ended, outputDone } = spawnCommand(options.command, {
      pipeOutput: marking, marker: runId, cgroup: inCgroup ? cgroup : undefined, now: elapsedMs, justBefore: () => clock.restart(),
    });
    signals.started(child.pid);
    // CMD has its own priority now; the sampler goes ahead of CPU hogs where it may (root).
    raiseSamplerPriority();
    const marks: RunMark[] = [];
    const dropped = { dropped: 0 };
    const relays: OutputRelay[] = [];
    // Made only for the bench (FOOTPRINT_RUN_STATS): what each sample costs, and footprint's own CPU while CMD runs.
    const stats = options.onStats === undefined ? undefined : new RunStatsTally();
    const sampling = new SamplingLoop(reader, clock, { intervalMs: options.intervalMs, timelineCapacity: options.timelineCapacity, mappings: options.mappings, stats });
    loop = sampling;
    if (options.mark !== undefined && child.stdout !== null && child.stderr !== null) {
      const markAt = (ms: number, text: string): RunMark => sampling.markAt(ms, text, marks);
      relays.push(new OutputRelay(1, options.mark, marks, elapsedMs, dropped, markAt));
      relays.push(new OutputRelay(2, options.mark, marks, elapsedMs, dropped, markAt));
      relays[0].attach(child.stdout);
      relays[1].attach(child.stderr);
    }

    let sampler: TreeSampler | undefined;
    if (child.pid !== undefined) {
      const stat = reader.read(`${child.pid}/stat`);
      const parsed = stat.ok ? parseStat(stat.text) : undefined;
      // CMD has exec'ed by now (spawn returns after the exec); one that is already gone leaves no samples.
      if (parsed?.ok === true) {
        sampler = new TreeSampler(reader, { pid: child.pid, startTime: parsed.value.startTime }, existedBefore, {
          marker: `${RUN_MARKER_VARIABLE}=${runId}`, ...(inCgroup ? { cgroupPids: cgroupPidsEvery(cgroup, CGROUP_PIDS_MS, elapsedMs) } : {}),
        });
      }
      sampling.start(sampler);
    }
    const outcome = await ended;
    sampling.stop();
    if ('error' in outcome) throw describeSpawnError(options.command[0], outcome.error.code);
    const wallMs = outcome.ms;
    const after = readSelfUsage(reader);
    const charge = inCgroup ? readCgroupCharge(cgroup) : undefined;
    const measured: RunSampling = sampling.sampling(wallMs);
    if (stats !== undefined) options.onStats?.(stats.summary({ probes: sampling.probes, wallMs, finalIntervalMs: sampling.finalIntervalMs }));
    if (marking) {
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([outputDone, new Promise<void>((resolve) => { grace = setTimeout(resolve, OUTPUT_GRACE_MS); })]);
      clearTimeout(grace);
      child.stdout?.destroy();
      child.stderr?.destroy();
    }
    const vmHwm = sampler?.kernelHighWater;
    const kernel: RunKernelFigures = {
      ...(vmHwm === undefined ? {} : { vmHwm }),
      ...(charge === undefined ? {} : { cgroup: charge }),
    };
    return {
      command: options.command,
      exitCode: outcome.code,
      signal: outcome.signal,
      wallMs,
      userMs: (after.childUserTicks - before.childUserTicks) * MS_PER_TICK,
      sysMs: (after.childSystemTicks - before.childSystemTicks) * MS_PER_TICK,
      faults: { minor: after.childMinorFaults - before.childMinorFaults, major: after.childMajorFaults - before.childMajorFaults },
      timeline: sampling.timeline,
      peakRam: sampling.peakRam,
      peakRss: sampling.peakRss,
      end: sampling.end,
      sampleCount: sampling.sampleCount,
      processesSeen: sampler?.processesSeen ?? 0,
      intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
      finalIntervalMs: sampling.finalIntervalMs,
      forwarded: signals.forwarded,
      marks: marks.sort((a, b) => a.ms - b.ms),
      marksDropped: dropped.dropped,
      peakMappings: sampling.peakMappings,
      sampling: measured,
      kernel,
      followed: sampler?.followedProcesses ?? 0,
      ...(inCgroup ? {} : { noCgroup: noCgroup ?? entered ?? 'none' }),
      deniedSamples: sampling.deniedSamples,
      outputEndsMidLine: relays.some((relay) => relay.endsMidLine),
    };
  } finally {
    loop?.stop();
    signals.release();
    if (cgroup !== undefined) {
      process.off('exit', removeCgroup);
      const left = removeRunCgroup(cgroup);
      if (left !== undefined) notice(`footprint: ${left}\n`);
    }
  }
}

/** footprint's exit code for CMD's end: its own code, or 128 + N when signal N ended it (as shells report it). */
export function exitStatusOf(record: Pick<RunRecord, 'exitCode' | 'signal'>): number {
  if (record.exitCode !== null) return record.exitCode;
  const number = record.signal === null ? undefined : constants.signals[record.signal];
  return 128 + (number ?? 0);
}
