import { parseStat } from '../procfs/stat.js';
import { figuresFromCounters } from '../reduce/figuresFromCounters.js';
import type { ProcReader } from '../scan/procReader.js';
import { scanProcesses } from '../scan/scanProcesses.js';
import { descendantsOf, type ProcessLink } from './processTree.js';
import type { TimelineSample } from './timeline.js';

/** One sample of a tree: its figures summed, and who was in it. */
export interface TreeSample extends TimelineSample {
  /** The measured processes, by PID, with their writable memory. */
  members: { pid: number; startTime: number; writable: number }[];
}

/** Every so often every PID's parent is read again, not only new PIDs' (see refreshLinks). */
const FULL_REFRESH_MS = 1000;

/**
 * Measures a process and all its descendants, again and again: the engine of
 * `run` and `watch`. The tree is rebuilt at every sample from each process's
 * parent (stat field 4), with PID + start time as identity, so a reused PID is
 * a new process and a process reparented to init has left the tree.
 *
 * To stay cheap on a busy machine, a sample reads the parent of new PIDs only
 * (a process's parent changes only when it is orphaned, which takes it out of
 * the tree); the tree's own members are read whole at every sample, and every
 * PID's parent again once a second, so a PID that was freed and reused between
 * two samples is caught within a second. Nothing stays open between samples:
 * each is a scan (scan/scanProcesses) of the members, with its checks that a
 * process is still the one whose files were read.
 */
export class TreeSampler {
  private readonly links = new Map<number, ProcessLink>();
  private lastFullRefreshMs = -Infinity;
  private readonly seen = new Set<string>();

  constructor(private readonly reader: ProcReader, private readonly root: { pid: number; startTime: number }) {}

  /** Distinct processes (PID + start time) measured in any sample so far. */
  get processesSeen(): number {
    return this.seen.size;
  }

  sample(ms: number): TreeSample {
    this.refreshLinks(ms);
    const members = descendantsOf(this.root, this.links.values());
    const sample: TreeSample = { ms, writable: 0, private: 0, shared: 0, ram: 0, swap: 0, rss: 0, processes: 0, members: [] };
    if (members.length === 0) return sample;
    const scan = scanProcesses(this.reader, { pids: members, estimate: false, cgroups: false, names: false, selfPid: process.pid });
    for (const measured of scan.samples) {
      const figures = figuresFromCounters(measured.counters);
      sample.writable += figures.writable;
      sample.private += figures.private;
      sample.shared += figures.shared;
      sample.ram += figures.ram;
      sample.swap += figures.swap;
      sample.rss += figures.rss;
      sample.processes++;
      sample.members.push({ pid: measured.pid, startTime: measured.startTime, writable: figures.writable });
      this.links.set(measured.pid, { pid: measured.pid, ppid: measured.ppid, startTime: measured.startTime });
      this.seen.add(`${measured.pid}:${measured.startTime}`);
    }
    return sample;
  }

  /** Lists /proc; reads stat of PIDs not known yet (of all of them once a second); forgets PIDs that are gone. */
  private refreshLinks(ms: number): void {
    const pids = this.reader.listPids();
    if (!Array.isArray(pids)) return;
    const full = ms - this.lastFullRefreshMs >= FULL_REFRESH_MS;
    if (full) this.lastFullRefreshMs = ms;
    const listed = new Set(pids);
    for (const pid of this.links.keys()) if (!listed.has(pid)) this.links.delete(pid);
    for (const pid of pids) {
      if (!full && this.links.has(pid)) continue;
      const text = this.reader.read(`${pid}/stat`);
      const stat = text.ok ? parseStat(text.text) : undefined;
      if (stat?.ok === true) this.links.set(pid, { pid, ppid: stat.value.ppid, startTime: stat.value.startTime });
      else this.links.delete(pid);
    }
  }
}
