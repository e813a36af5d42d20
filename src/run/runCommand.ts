import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { parseStat, parseStatSession, parseStatUsage, type StatUsage } from '../procfs/stat.js';
import { ProcReader } from '../scan/procReader.js';
import { Timeline } from '../sample/timeline.js';
import { TreeSampler, type TreeSample } from '../sample/treeSampler.js';
import type { PeakMappings, RunMark } from '../model/run.js';
import { readProcessMappings } from '../scan/readProcessMappings.js';
import { usageByMapping } from '../reduce/processBreakdown.js';
import { programName } from '../reduce/programName.js';
import { OutputRelay } from './outputRelay.js';

/** The first interval: fine enough to see start-up. It doubles each time the timeline thins, up to MAX. */
export const DEFAULT_INTERVAL_MS = 20;
const MAX_ADAPTIVE_INTERVAL_MS = 1000;
/** Without --interval, a sample takes at most this share of one core (the rest of footprint adds a little). */
const MAX_CPU_SHARE = 0.03;
/** How long CMD's output is still passed on after it ended, when something it left behind holds the pipe. */
const OUTPUT_GRACE_MS = 500;
/** /proc's clock ticks are USER_HZ, 100 per second on every Linux. */
const MS_PER_TICK = 10;

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
  mark?: RegExp;
  /** At new peaks (throttled), read smaps of the process holding the most writable memory. */
  mappings?: boolean;
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

/**
 * Runs CMD with footprint's own stdin, stdout and stderr and samples the memory
 * of its whole tree until it ends. Page faults and CPU times are the kernel's
 * accounting of reaped children (/proc/self/stat fields 10-17, before and after),
 * exact even for children too short-lived to be sampled, as GNU time's are.
 * SIGINT, SIGTERM and SIGHUP are passed on to every process of the tree (SIGINT
 * not when the terminal's keyboard already sent it to them all).
 */
export async function runCommand(options: RunOptions): Promise<RunRecord> {
  const reader = new ProcReader();
  const before = usageOf(readSelf(reader));
  const started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  const forwarded: NodeJS.Signals[] = [];
  // Installed before CMD starts: a signal that comes before CMD exists is passed on once it does,
  // and none ever meets footprint without its handler (which would end it and leave CMD running).
  let childPid: number | undefined;
  const early: NodeJS.Signals[] = [];
  const forward = (signal: NodeJS.Signals) => {
    forwarded.push(signal);
    if (childPid === undefined) {
      early.push(signal);
      return;
    }
    if (signal === 'SIGINT' && keyboardSignalsReachTree(reader)) return;
    const targets = new Map<number, number>([[childPid ?? -1, -1]]);
    for (const member of last?.members ?? []) targets.set(member.pid, member.startTime);
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
  const pidsBefore = reader.listPids();
  const existedBefore = Array.isArray(pidsBefore) ? new Set(pidsBefore) : undefined;
  const marking = options.mark !== undefined;
  const child = spawn(options.command[0], options.command.slice(1), { stdio: marking ? ['inherit', 'pipe', 'pipe'] : 'inherit' });
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
  if (options.mark !== undefined && child.stdout !== null && child.stderr !== null) {
    new OutputRelay(1, options.mark, marks, elapsedMs, dropped).attach(child.stdout);
    new OutputRelay(2, options.mark, marks, elapsedMs, dropped).attach(child.stderr);
  }
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: NodeJS.ErrnoException }>((resolve) => {
    child.once('error', (error) => resolve({ error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  // Once CMD's output has all been passed on: its pipes reach their end (unless a process it
  // left behind holds them open; then footprint stops passing them on soon after CMD ends).
  const outputDone = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const timeline = new Timeline(options.timelineCapacity);
  let intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  let sampler: TreeSampler | undefined;
  let last: TreeSample | undefined;
  let end: TreeSample | undefined;
  let peakRam = 0;
  let peakRss = 0;
  let sampleCount = 0;
  /** The longest wait between two samples, for the summary. */
  let slowest = 0;
  let peakMappings: PeakMappings | undefined;
  let peakWritable = 0;
  let timer: NodeJS.Timeout | undefined;

  // Hidden, for bench/overTime.mjs: what each sample costs, and footprint's own CPU while CMD runs.
  const stats = process.env.FOOTPRINT_RUN_STATS === '1' ? { sampleMs: [] as number[], cpuAtSpawn: process.cpuUsage(), spawnedAtMs: process.uptime() * 1000 } : undefined;
  const sampleNow = () => {
    if (sampler === undefined) return;
    const sampleStarted = stats === undefined ? 0n : process.hrtime.bigint();
    const sample = sampler.sample(Math.round(elapsedMs()));
    if (stats !== undefined && stats.sampleMs.length < 100_000) stats.sampleMs.push(Number(process.hrtime.bigint() - sampleStarted) / 1e6);
    sampleCount++;
    last = sample;
    if (sample.processes > 0) end = sample;
    peakRam = Math.max(peakRam, sample.ram);
    peakRss = Math.max(peakRss, sample.rss);
    peakWritable = Math.max(peakWritable, sample.writable);
    if (options.mappings === true && sample.writable === peakWritable) peakMappings = readPeakMappings(reader, sample, peakMappings) ?? peakMappings;
    const { members: _members, ...figures } = sample;
    if (timeline.add(figures) && options.intervalMs === undefined) intervalMs = Math.min(MAX_ADAPTIVE_INTERVAL_MS, intervalMs * 2);
  };
  let previousCostMs = Infinity;
  let waited: number | undefined;
  const tick = () => {
    if (waited !== undefined) slowest = Math.max(slowest, waited);
    const started = process.hrtime.bigint();
    sampleNow();
    // Without --interval, a sample waits long enough for footprint to stay under 5% of one core:
    // a large tree is sampled less often rather than slowing the machine it measures. The cost is
    // the lesser of the last two samples', and the first samples (code not yet compiled) keep the
    // interval, so that one slow sample does not blur the start.
    const costMs = Number(process.hrtime.bigint() - started) / 1e6;
    const steadyCostMs = sampleCount <= 3 ? 0 : Math.min(costMs, previousCostMs);
    previousCostMs = costMs;
    waited = options.intervalMs === undefined ? Math.max(intervalMs, steadyCostMs / MAX_CPU_SHARE) : intervalMs;
    timer = setTimeout(tick, waited);
  };



  try {
    if (child.pid !== undefined) {
      const stat = reader.read(`${child.pid}/stat`);
      const parsed = stat.ok ? parseStat(stat.text) : undefined;
      // CMD has exec'ed by now (spawn returns after the exec); one that is already gone leaves no samples.
      if (parsed?.ok === true) sampler = new TreeSampler(reader, { pid: child.pid, startTime: parsed.value.startTime }, existedBefore);
      tick();
    }
    const outcome = await ended;
    clearTimeout(timer);
    if ('error' in outcome) throw describeSpawnError(options.command[0], outcome.error);
    const wallMs = elapsedMs();
    const after = usageOf(readSelf(reader));
    if (stats !== undefined) {
      const cpu = process.cpuUsage(stats.cpuAtSpawn);
      const sorted = [...stats.sampleMs].sort((a, b) => a - b);
      process.stderr.write(`footprint run-stats ${JSON.stringify({
        samples: sorted.length, sampleMsMedian: sorted[Math.floor(sorted.length / 2)] ?? 0, sampleMsMax: sorted[sorted.length - 1] ?? 0,
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
    };
  } finally {
    clearTimeout(timer);
    for (const signal of signals) process.off(signal, forward);
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
