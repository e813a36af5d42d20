import type { WatchSample } from '../model/watch.js';
import type { Unreadable } from '../scan/unreadable.js';
import { figuresFromCounters } from '../reduce/figuresFromCounters.js';
import { needsCommandLine, programName } from '../reduce/programName.js';
import { namesProgram } from '../reduce/matchGroups.js';
import type { ProcessSample, ScanResult } from '../model/processSample.js';
import type { ProcReader } from '../kernel/procReader.js';
import { scanProcesses } from '../scan/scanProcesses.js';
import { addProcess, emptySample, type TimelineSample } from './timeline.js';

/** One sample of a watched target, with who made it up (PID:start time), to tell a restart from growth. */
export type { WatchSample } from '../model/watch.js';

/** Why a PID cannot be watched: the scan's reason, in the words `show` uses. */
export type Unwatchable = Unreadable;

function sumInto(sample: WatchSample, measured: ProcessSample): void {
  addProcess(sample, figuresFromCounters(measured.counters));
  sample.identities.push(`${measured.pid}:${measured.startTime}`);
}

const emptyWatchSample = (ms: number): WatchSample => ({ ...emptySample(ms), identities: [] });

function whyNot(scan: ScanResult): Unwatchable {
  if (scan.counts.denied > 0) return 'denied';
  if (scan.counts.kernelThreads > 0) return 'kernel-thread';
  if (scan.counts.zombies > 0) return 'zombie';
  return 'no-such-process';
}

/**
 * One process, by PID and the start time it had when the watch began: a reused PID is the end of it.
 * The measurement that opened the watch is its first sample, so that a process found when the watch
 * began has at least that one, however soon it ends after (on a busy machine, before a second scan).
 */
export class ProcessTarget {
  readonly startTime: number;

  private opening: ProcessSample | undefined;

  private constructor(private readonly reader: ProcReader, readonly pid: number, opening: ProcessSample, readonly name: string) {
    this.startTime = opening.startTime;
    this.opening = opening;
  }

  static open(reader: ProcReader, pid: number): ProcessTarget | Unwatchable {
    const scan = scanProcesses(reader, { pids: [pid], estimate: false, cgroups: false, needsCmdline: needsCommandLine });
    const first = scan.samples[0];
    if (first === undefined) return whyNot(scan);
    return new ProcessTarget(reader, pid, first, programName(first));
  }

  /** undefined once the process has exited (or its PID is someone else's). The first call gives the opening measurement. */
  sample(ms: number): WatchSample | undefined {
    if (this.opening !== undefined) {
      const sample = emptyWatchSample(ms);
      sumInto(sample, this.opening);
      this.opening = undefined;
      return sample;
    }
    const scan = scanProcesses(this.reader, { pids: [this.pid], estimate: false, cgroups: false, names: false });
    const measured = scan.samples[0];
    if (measured === undefined || measured.startTime !== this.startTime) return undefined;
    const sample = emptyWatchSample(ms);
    sumInto(sample, measured);
    return sample;
  }
}

/**
 * A program by name (namesProgram: its group under --group program, or that
 * name without its script, or its script alone), over every process that
 * carries such a name at each sample: it follows restarts and picks up
 * processes started later, and a program that is not running samples as zero
 * processes. A name that finds several groups (`python3`: every Python
 * script) watches them all, summed, as `pgrep python3` finds them all.
 */
export class ProgramTarget {
  /** The groups the last sample found, by name. */
  groups: string[] = [];

  constructor(private readonly reader: ProcReader, readonly name: string) {}

  sample(ms: number): WatchSample {
    const scan = scanProcesses(this.reader, { estimate: false, cgroups: false, needsCmdline: needsCommandLine, selfPid: process.pid });
    const sample = emptyWatchSample(ms);
    const groups = new Set<string>();
    for (const measured of scan.samples) {
      const key = programName(measured);
      if (!namesProgram(this.name, key)) continue;
      sumInto(sample, measured);
      groups.add(key);
    }
    this.groups = [...groups].sort();
    return sample;
  }
}
