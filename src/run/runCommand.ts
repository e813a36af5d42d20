import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { parseStat, parseStatSession, parseStatUsage, type StatUsage } from '../procfs/stat.js';
import { ProcReader } from '../scan/procReader.js';
import { Timeline } from '../sample/timeline.js';
import { TreeSampler, type TreeSample } from '../sample/treeSampler.js';
import type { PeakMappings, RunKernelFigures, RunMark, RunSampling } from '../model/run.js';
import { readProcessMappings } from '../scan/readProcessMappings.js';
import { usageByMapping } from '../reduce/processBreakdown.js';
import { programName } from '../reduce/programName.js';
import { OutputRelay } from './outputRelay.js';
import type { MarkPattern } from './markPattern.js';
import { cgroupPids, createRunCgroup, moveSelfToCgroup, readCgroupCharge, removeRunCgroup, type RunCgroup } from './runCgroup.js';

/** The first interval: fine enough to see start-up. It doubles each time the timeline thins, up to MAX. */
export const DEFAULT_INTERVAL_MS = 20;
const MAX_ADAPTIVE_INTERVAL_MS = 1000;
/** Without --interval, the regular full samples take at most this share of one core (the probe's is apart). */
const MAX_CPU_SHARE = 0.015;
/**
 * The probe looks at the tree this often (statm of each member: a few µs each, no page-table
 * walk), stretched only as far as keeps it under MAX_PROBE_SHARE of one core on a large tree.
 */
export const PROBE_MS = 5;
const MAX_PROBE_SHARE = 0.01;
/** Above this share of one core (all of footprint's CPU, each second) the probe of a steady tree slows, up to MAX_STEADY_STRETCH times; below LOW it speeds up again. */
const SELF_CPU_HIGH = 0.04;
const SELF_CPU_LOW = 0.03;
const MAX_STEADY_STRETCH = 4;
/** Full samples at most this far apart get one probe halfway between them, not one every PROBE_MS. */
const PROBE_HALFWAY_MS = 40;
/** A probe sees a new high when the tree's RSS passes the highest sampled by this factor and step: then a full sample is taken at once. */
const HIGH_FACTOR = 1.02;
const HIGH_STEP = 256 * 1024;
/**
 * A new member, or RSS that moved by HIGH_FACTOR and HIGH_STEP from the last full sample's (down too: the
 * timeline and the end must not keep a freed spike), is sampled at once, unless full samples would
 * then take more than this share of one core (a build that forks all the time, a sawtooth).
 */
const CHANGE_CPU_SHARE = 0.2;
/** New PIDs are looked for (a listing of /proc, stat of each new PID) at most this often, and within this share of one core. */
const NEW_MEMBER_MS = 100;
const NEW_MEMBER_SHARE = 0.005;
/** The cgroup's member list is read at most this often (a new member is also found by its parent or FOOTPRINT_RUN). */
const CGROUP_PIDS_MS = 100;
/** How long CMD's output is still passed on after it ended, when something it left behind holds the pipe. */
const OUTPUT_GRACE_MS = 500;
/** /proc's clock ticks are USER_HZ, 100 per second on every Linux. */
const MS_PER_TICK = 10;
/** The entry of CMD's environment that a process which left the tree is followed by. */
export const RUN_MARKER_VARIABLE = 'FOOTPRINT_RUN';

/** CMD could not be started: 127 when it was not found, 126 when it could not be executed (as shells say). */
export class CommandNotRun extends Error {
  override name = 'CommandNotRun';
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

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
}

/** What happened, for the summary and the footprint.run/1 document. */
export interface RunRecord {
  command: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  userMs: number;
  sysMs: number;
  faults: { minor: number; major: number };
  timeline: Timeline;
  /** The largest RAM used and RSS of any sample (the peak sample is the one with most writable memory). */
  peakRam: number;
  peakRss: number;
  /** The last sample that measured a process of the tree. */
  end?: TreeSample;
  sampleCount: number;
  processesSeen: number;
  intervalMs: number;
  /** The longest interval used (larger than intervalMs after a long run coarsened it, or a large tree slowed it). */
  finalIntervalMs: number;
  /** Signals footprint received and passed on to CMD's tree. */
  forwarded: NodeJS.Signals[];
  marks: RunMark[];
  /** Matching lines beyond MAX_MARKS, not kept. */
  marksDropped: number;
  peakMappings?: PeakMappings;
  sampling?: RunSampling;
  kernel?: RunKernelFigures;
  followed?: number;
  noCgroup?: string;
  deniedSamples?: number;
  /** Whether the last byte of CMD's output that footprint passed on was not a newline: the summary then starts on a line of its own. */
  outputEndsMidLine?: boolean;
}

function readSelf(reader: ProcReader): string {
  const text = reader.read('self/stat');
  if (!text.ok) throw new Error(`cannot read /proc/self/stat: ${text.reason}`);
  return text.text;
}

function usageOf(text: string): StatUsage {
  const usage = parseStatUsage(text);
  if (!usage.ok) throw new Error(`/proc/self/stat: ${usage.error.reason}`);
  return usage.value;
}

/**
 * Whether a SIGINT footprint got came from its terminal's keyboard: then the
 * terminal sent it to the whole foreground process group, CMD's tree included,
 * and passing it on would deliver it twice.
 */
function keyboardSignalsReachTree(reader: ProcReader): boolean {
  const session = parseStatSession(readSelf(reader));
  return session.ok && session.value.tpgid > 0 && session.value.tpgid === session.value.pgrp;
}

function describeSpawnError(command: string, error: NodeJS.ErrnoException): CommandNotRun {
  if (error.code === 'ENOENT') return new CommandNotRun(`cannot run ${command}: command not found`, 127);
  if (error.code === 'EACCES') return new CommandNotRun(`cannot run ${command}: permission denied`, 126);
  return new CommandNotRun(`cannot run ${command}: ${error.message}`, 126);
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

/** The gaps between full samples in bounded memory: a count per whole millisecond, enough for an exact median. */
class GapTally {
  private readonly counts = new Map<number, number>();
  private total = 0;
  longest = 0;
  private last: number | undefined;

  add(ms: number): void {
    if (this.last !== undefined) {
      const gap = ms - this.last;
      this.counts.set(gap, (this.counts.get(gap) ?? 0) + 1);
      this.total++;
      this.longest = Math.max(this.longest, gap);
    }
    this.last = ms;
  }

  median(): number {
    if (this.total === 0) return 0;
    const sorted = [...this.counts].sort((a, b) => a[0] - b[0]);
    const middle = Math.floor((this.total - 1) / 2);
    let seen = 0;
    for (const [gap, count] of sorted) {
      seen += count;
      if (seen > middle) return gap;
    }
    return 0;
  }
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
 * of its whole tree until it ends. Page faults and CPU times are the kernel's
 * accounting of reaped children (/proc/self/stat fields 10-17, before and after),
 * exact even for children too short-lived to be sampled, as GNU time's are.
 * SIGINT, SIGTERM and SIGHUP are passed on to every process of the tree (SIGINT
 * not when the terminal's keyboard already sent it to them all).
 *
 * Between full samples a probe reads each member's statm every PROBE_MS, and a
 * new high it sees is sampled at once: a spike is caught even when full samples
 * are far apart (on a large tree, each costs milliseconds). Where footprint may,
 * CMD runs in a memory cgroup of its own, whose members are the tree and whose
 * peak is the kernel's; it is removed however the run ends.
 */
export async function runCommand(options: RunOptions): Promise<RunRecord> {
  const reader = new ProcReader();
  const before = usageOf(readSelf(reader));
  // Reset when CMD is spawned: times (the wall time, samples', marks') are CMD's, not footprint's setting up.
  let started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  const forwarded: NodeJS.Signals[] = [];
  // Installed before CMD starts: a signal that comes before CMD exists is passed on once it does,
  // and none ever meets footprint without its handler (which would end it and leave CMD running).
  let childPid: number | undefined;
  let last: TreeSample | undefined;
  const early: NodeJS.Signals[] = [];
  const forward = (signal: NodeJS.Signals) => {
    forwarded.push(signal);
    if (childPid === undefined) {
      early.push(signal);
      return;
    }
    if (signal === 'SIGINT' && keyboardSignalsReachTree(reader)) return;
    const targets = new Map<number, number>([[childPid ?? -1, -1]]);
    // Not to processes that left the tree (a daemon): a terminal's Ctrl-C would not reach them either.
    for (const member of last?.members ?? []) if (!member.followed) targets.set(member.pid, member.startTime);
    for (const [pid, startTime] of targets) {
      if (pid <= 0) continue;
      // Only a process that is still the one sampled: its PID may have been reused since.
      if (startTime >= 0) {
        const stat = reader.read(`${pid}/stat`);
        const parsed = stat.ok ? parseStat(stat.text) : undefined;
        if (parsed?.ok !== true || parsed.value.startTime !== startTime) continue;
      }
      try {
        process.kill(pid, signal);
      } catch {
        // exited meanwhile
      }
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  // Unique enough to tell this run's processes from another run's (not a secret).
  const runId = `${process.pid}-${Math.floor(Math.random() * 2 ** 32).toString(16)}`;
  const { cgroup, reason: noCgroup } = makeRunCgroup(reader, runId, options);
  // However footprint ends (an error of its own, an exit from elsewhere), the cgroup goes; SIGKILL aside.
  const removeCgroup = () => {
    if (cgroup !== undefined) removeRunCgroup(cgroup);
  };
  if (cgroup !== undefined) process.once('exit', removeCgroup);
  let timer: NodeJS.Timeout | undefined;
  try {
    const pidsBefore = reader.listPids();
    const existedBefore = Array.isArray(pidsBefore) ? new Set(pidsBefore) : undefined;
    const marking = options.mark !== undefined;
    // CMD inherits the cgroup of the process that forks it: footprint steps in for the spawn, and out.
    const entered = cgroup === undefined ? undefined : moveSelfToCgroup(cgroup, cgroup.dir);
    if (entered !== undefined) (options.notice ?? ((line) => process.stderr.write(line)))(`footprint: no cgroup for the run: ${entered}; going on without it\n`);
    const inCgroup = cgroup !== undefined && entered === undefined;
    let child: ReturnType<typeof spawn>;
    try {
      started = process.hrtime.bigint();
      child = spawn(options.command[0], options.command.slice(1), {
        stdio: marking ? ['inherit', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, [RUN_MARKER_VARIABLE]: runId },
      });
    } finally {
      if (inCgroup) moveSelfToCgroup(cgroup, cgroup.home);
    }
    childPid = child.pid;
    for (const signal of early.splice(0)) {
      try {
        if (childPid !== undefined) process.kill(childPid, signal);
      } catch {
        // exited already
      }
    }
    const marks: RunMark[] = [];
    const dropped = { dropped: 0 };
    const relays: OutputRelay[] = [];
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number } | { error: NodeJS.ErrnoException }>((resolve) => {
      child.once('error', (error) => resolve({ error }));
      child.once('exit', (code, signal) => resolve({ code, signal, ms: elapsedMs() }));
    });
    // Once CMD's output has all been passed on: its pipes reach their end (unless a process it
    // left behind holds them open; then footprint stops passing them on soon after CMD ends).
    const outputDone = new Promise<void>((resolve) => child.once('close', () => resolve()));

    const timeline = new Timeline(options.timelineCapacity);
    let intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    let sampler: TreeSampler | undefined;
    let end: TreeSample | undefined;
    let peakRam = 0;
    let peakRss = 0;
    let sampleCount = 0;
    let deniedSamples = 0;
    /** The longest wait between two samples, for the summary. */
    let slowest = 0;
    let peakMappings: PeakMappings | undefined;
    let peakWritable = 0;
    const gaps = new GapTally();
    const probeGaps = new GapTally();
    let probes = 0;
    const triggered = { high: 0, change: 0, newMember: 0, mark: 0 };
    /** The highest RSS a full sample saw: a probe above it (by HIGH_FACTOR) is a new high. */
    let sampledHigh = 0;
    let lastSampledRss = 0;
    let lastSampleAt = 0;
    let firstMeasured: number | undefined;

    // Hidden, for bench/overTime.mjs: what each sample costs, and footprint's own CPU while CMD runs.
    const stats = process.env.FOOTPRINT_RUN_STATS === '1'
      ? { sampleMs: [] as number[], probeMs: [] as number[], cpuAtSpawn: process.cpuUsage(), spawnedAtMs: process.uptime() * 1000 } : undefined;
    const sampleNow = (): TreeSample | undefined => {
      if (sampler === undefined) return undefined;
      const sampleStarted = stats === undefined ? 0n : process.hrtime.bigint();
      const ms = Math.round(elapsedMs());
      const sample = sampler.sample(ms);
      if (stats !== undefined && stats.sampleMs.length < 100_000) stats.sampleMs.push(Number(process.hrtime.bigint() - sampleStarted) / 1e6);
      sampleCount++;
      gaps.add(ms);
      lastSampleAt = elapsedMs();
      last = sample;
      if (sample.processes > 0) {
        end = sample;
        firstMeasured ??= sample.writable;
      } else if (sample.denied > 0) deniedSamples++;
      peakRam = Math.max(peakRam, sample.ram);
      peakRss = Math.max(peakRss, sample.rss);
      sampledHigh = Math.max(sampledHigh, sample.rss);
      lastSampledRss = sample.rss;
      peakWritable = Math.max(peakWritable, sample.writable);
      if (options.mappings === true && sample.writable === peakWritable) peakMappings = readPeakMappings(reader, sample, peakMappings) ?? peakMappings;
      const { members: _members, denied: _denied, ...figures } = sample;
      if (timeline.add(figures) && options.intervalMs === undefined) intervalMs = Math.min(MAX_ADAPTIVE_INTERVAL_MS, intervalMs * 2);
      return sample;
    };
    if (options.mark !== undefined && child.stdout !== null && child.stderr !== null) {
      // A mark is a moment worth a full sample of its own: the memory at that line.
      const markAt = (ms: number, text: string): RunMark => {
        const sample = sampleNow();
        if (sample === undefined || sample.processes === 0) return { ms, text };
        triggered.mark++;
        const previous = [...marks].reverse().find((mark) => mark.writable !== undefined)?.writable ?? firstMeasured ?? 0;
        return { ms, text, writable: sample.writable, ram: sample.ram, change: sample.writable - previous };
      };
      relays.push(new OutputRelay(1, options.mark, marks, elapsedMs, dropped, markAt));
      relays.push(new OutputRelay(2, options.mark, marks, elapsedMs, dropped, markAt));
      relays[0].attach(child.stdout);
      relays[1].attach(child.stderr);
    }

    let previousCostMs = Infinity;
    let steadyCostMs = 0;
    let waited = intervalMs;
    let previousProbeCostMs = Infinity;
    let probeEvery = PROBE_MS;
    const fullSample = () => {
      const sampleStarted = process.hrtime.bigint();
      sampleNow();
      // Without --interval, regular samples wait long enough for footprint to stay under 1.5% of one
      // core: a large tree is sampled fully less often (the probe goes on at its own rate). The cost is
      // the lesser of the last two samples', and the first samples (code not yet compiled) keep the
      // interval, so that one slow sample does not blur the start.
      const costMs = Number(process.hrtime.bigint() - sampleStarted) / 1e6;
      lastSampleCostMs = costMs;
      steadyCostMs = sampleCount <= 3 ? 0 : Math.min(costMs, previousCostMs);
      previousCostMs = costMs;
      waited = options.intervalMs === undefined ? Math.max(intervalMs, steadyCostMs / MAX_CPU_SHARE) : intervalMs;
    };
    let lookedAt = 0;
    let lastProbeResident = 0;
    let steadyStretch = 1;
    let lastHighAt = 0;
    let budgetCheckedAt = elapsedMs();
    const cpuAtStart = process.cpuUsage();
    let budgetCpuUs = cpuAtStart.user + cpuAtStart.system;
    let lookCostMs = 0;
    let lastSampleCostMs = 0;
    const tick = () => {
      const now = elapsedMs();
      // What a probe costs is more than its reads (the timer, the event loop's turn): footprint's own
      // CPU, measured each second, stretches the probe on a steady tree while over SELF_CPU_HIGH.
      if (now - budgetCheckedAt >= 1000) {
        const cpu = process.cpuUsage();
        const share = (cpu.user + cpu.system - budgetCpuUs) / 1000 / (now - budgetCheckedAt);
        if (share > SELF_CPU_HIGH && now - lastHighAt >= 1000) steadyStretch = Math.min(MAX_STEADY_STRETCH, steadyStretch * 1.5);
        else if (share < SELF_CPU_LOW) steadyStretch = Math.max(1, steadyStretch / 1.5);
        budgetCheckedAt = now;
        budgetCpuUs = cpu.user + cpu.system;
      }
      let next = probeEvery;
      if (sampler !== undefined && now - lastSampleAt >= waited) {
        slowest = Math.max(slowest, now - lastSampleAt);
        fullSample();
      } else if (sampler !== undefined) {
        const probeStarted = process.hrtime.bigint();
        const seen = sampler.probe();
        const probeCostMs = Number(process.hrtime.bigint() - probeStarted) / 1e6;
        if (stats !== undefined && stats.probeMs.length < 100_000) stats.probeMs.push(probeCostMs);
        probes++;
        probeGaps.add(Math.round(now));
        // Where full samples come every few tens of ms anyway (a small tree), one probe between two
        // of them is enough; the probe's own pace (PROBE_MS) is for when they are far apart.
        probeEvery = steadyStretch * Math.max(waited <= PROBE_HALFWAY_MS ? waited / 2 : PROBE_MS, Math.min(probeCostMs, previousProbeCostMs) / MAX_PROBE_SHARE);
        previousProbeCostMs = probeCostMs;
        const mayChange = now - lastSampleAt >= Math.max(intervalMs, steadyCostMs / CHANGE_CPU_SHARE);
        let newMember = false;
        if (mayChange && now - lookedAt >= Math.max(NEW_MEMBER_MS, lookCostMs / NEW_MEMBER_SHARE)) {
          const lookStarted = process.hrtime.bigint();
          newMember = sampler.lookForNewMembers(Math.round(now));
          lookCostMs = Number(process.hrtime.bigint() - lookStarted) / 1e6;
          lookedAt = now;
        }
        const high = seen.resident > sampledHigh * HIGH_FACTOR + HIGH_STEP;
        // A climb is sampled at most half the time (a sample, then as long again for CMD), so that
        // a fast climb on a large tree does not take a whole core; its top is sampled within one
        // probe interval plus one sample, at once where the probe sees it stop.
        const sinceSample = elapsedMs() - lastSampleAt;
        // Where the climb stopped (no growth since the last probe) is its top: sampled at once, unthrottled.
        const topped = high && seen.resident <= lastProbeResident;
        lastProbeResident = seen.resident;
        if (high) {
          // Memory moves: the probe goes back to its own pace at once.
          steadyStretch = 1;
          lastHighAt = now;
        }
        if (high && (topped || sinceSample >= lastSampleCostMs)) {
          triggered.high++;
          fullSample();
        } else if (high) {
          next = lastSampleCostMs - sinceSample;
        } else if (mayChange) {
          const moved = Math.abs(seen.resident - lastSampledRss) > lastSampledRss * (HIGH_FACTOR - 1) + HIGH_STEP;
          if (newMember || moved) {
            if (newMember) triggered.newMember++;
            else triggered.change++;
            fullSample();
          }
        }
        // While memory climbs, the next probe comes sooner: the top of a climb is the peak, and it may last only milliseconds.
        if (high) next = Math.min(next, 1);
      }
      timer = setTimeout(tick, Math.max(0, Math.min(next, waited - (elapsedMs() - lastSampleAt))));
    };

    if (child.pid !== undefined) {
      const stat = reader.read(`${child.pid}/stat`);
      const parsed = stat.ok ? parseStat(stat.text) : undefined;
      // CMD has exec'ed by now (spawn returns after the exec); one that is already gone leaves no samples.
      if (parsed?.ok === true) {
        sampler = new TreeSampler(reader, { pid: child.pid, startTime: parsed.value.startTime }, existedBefore, {
          marker: `${RUN_MARKER_VARIABLE}=${runId}`, ...(inCgroup ? { cgroupPids: cgroupPidsEvery(cgroup, CGROUP_PIDS_MS, elapsedMs) } : {}),
        });
      }
      fullSample();
      timer = setTimeout(tick, Math.min(probeEvery, waited));
    }
    const outcome = await ended;
    clearTimeout(timer);
    if ('error' in outcome) throw describeSpawnError(options.command[0], outcome.error);
    const wallMs = outcome.ms;
    const after = usageOf(readSelf(reader));
    const charge = inCgroup ? readCgroupCharge(cgroup) : undefined;
    const sampling: RunSampling = {
      samples: sampleCount, longestGapMs: gaps.longest, medianGapMs: gaps.median(),
      probes, probesPerSecond: Math.round(wallMs) > 0 ? Math.round((probes / Math.round(wallMs)) * 1000) : 0, probeLongestGapMs: probeGaps.longest, triggered,
    };
    if (stats !== undefined) {
      const cpu = process.cpuUsage(stats.cpuAtSpawn);
      const sorted = [...stats.sampleMs].sort((a, b) => a - b);
      const probeSorted = [...stats.probeMs].sort((a, b) => a - b);
      process.stderr.write(`footprint run-stats ${JSON.stringify({
        samples: sorted.length, sampleMsMedian: sorted[Math.floor(sorted.length / 2)] ?? 0, sampleMsMax: sorted[sorted.length - 1] ?? 0,
        probes, probeMsMedian: probeSorted[Math.floor(probeSorted.length / 2)] ?? 0,
        selfCpuMs: (cpu.user + cpu.system) / 1000, wallMs, startupMs: stats.spawnedAtMs, finalIntervalMs: Math.max(intervalMs, Math.round(slowest)),
      })}\n`);
    }
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
      timeline,
      peakRam,
      peakRss,
      end,
      sampleCount,
      processesSeen: sampler?.processesSeen ?? 0,
      intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
      finalIntervalMs: Math.max(intervalMs, Math.round(slowest)),
      forwarded,
      marks: marks.sort((a, b) => a.ms - b.ms),
      marksDropped: dropped.dropped,
      peakMappings,
      sampling,
      kernel,
      followed: sampler?.followedProcesses ?? 0,
      ...(inCgroup ? {} : { noCgroup: noCgroup ?? entered ?? 'none' }),
      deniedSamples,
      outputEndsMidLine: relays.some((relay) => relay.endsMidLine),
    };
  } finally {
    clearTimeout(timer);
    for (const signal of signals) process.off(signal, forward);
    if (cgroup !== undefined) {
      process.off('exit', removeCgroup);
      const left = removeRunCgroup(cgroup);
      if (left !== undefined) (options.notice ?? ((line) => process.stderr.write(line)))(`footprint: ${left}\n`);
    }
  }
}

/** smaps is read again at a new peak only this long after the last read, or when the tree grew by a tenth. */
const MAPPINGS_EVERY_MS = 250;
const MAPPINGS_GROWTH = 1.1;
const MAPPINGS_KEPT = 8;

/**
 * At the peak, where the process holding the most writable memory has it: its
 * full smaps, summed per backing. Called for samples at the peak so far; smaps
 * costs a walk of every mapping, so it is read again only when the tree is well
 * past the last read, or a while after it (while the tree still sits at its peak).
 */
function readPeakMappings(reader: ProcReader, sample: TreeSample, last: PeakMappings | undefined): PeakMappings | undefined {
  if (sample.members.length === 0) return undefined;
  if (last !== undefined && sample.writable <= last.treeWritable) return undefined;
  if (last !== undefined && sample.ms - last.ms < MAPPINGS_EVERY_MS && sample.writable < last.treeWritable * MAPPINGS_GROWTH) return undefined;
  const largest = sample.members.reduce((a, b) => (b.writable > a.writable ? b : a));
  const read = readProcessMappings(reader, largest.pid);
  if (!read.ok || read.identity.startTime !== largest.startTime) return undefined;
  return {
    pid: largest.pid,
    name: programName(read.identity),
    ms: sample.ms,
    treeWritable: sample.writable,
    mappings: usageByMapping(read.mappings).slice(0, MAPPINGS_KEPT).filter((usage) => usage.privateDirty > 0)
      .map((usage) => ({ name: usage.name, writable: usage.privateDirty })),
  };
}

/** footprint's exit code for CMD's end: its own code, or 128 + N when signal N ended it (as shells report it). */
export function exitStatusOf(record: Pick<RunRecord, 'exitCode' | 'signal'>): number {
  if (record.exitCode !== null) return record.exitCode;
  const number = record.signal === null ? undefined : constants.signals[record.signal];
  return 128 + (number ?? 0);
}
