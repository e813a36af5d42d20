import { parseStat } from '../procfs/stat.js';
import { figuresFromCounters } from '../reduce/figuresFromCounters.js';
import type { ProcReader } from '../scan/procReader.js';
import { scanProcesses } from '../scan/scanProcesses.js';
import { descendantsOf, type ProcessLink } from './processTree.js';
import { addProcess, emptySample, type TimelineSample } from './timeline.js';

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
 * the tree), and rebuilds the tree only when a link changed; the tree's own
 * members are read whole at every sample, and every PID's parent again once a
 * second, so a PID that was freed and reused between two samples is caught
 * within a second. Nothing stays open between samples:
 * each is a scan (scan/scanProcesses) of the members, with its checks that a
 * process is still the one whose files were read.
 */
export class TreeSampler {
  private readonly links = new Map<number, ProcessLink>();
  private lastFullRefreshMs: number | undefined;
  /** The identities measured in the last sample: a process is counted as seen the first sample it is in. */
  private lastMeasured = new Set<string>();
  private seenCount = 0;
  private members: number[] = [];
  private linksChanged = true;
  private lastNames: string[] | undefined;
  private lastPid: number | undefined;

  /**
   * `before`: the PIDs listed before the root was started, if the caller listed them (`run` does):
   * none of those can descend from it, so the first sample reads no parent of theirs.
   */
  constructor(
    private readonly reader: ProcReader, private readonly root: { pid: number; startTime: number }, private readonly before?: ReadonlySet<number>,
  ) {}

  /** Distinct processes (PID + start time) measured in any sample so far. */
  get processesSeen(): number {
    return this.seenCount;
  }

  sample(ms: number): TreeSample {
    this.refreshLinks(ms);
    // The tree changes only when a link does (a new PID, one gone, a parent that changed).
    if (this.linksChanged) this.members = descendantsOf(this.root, this.links.values());
    this.linksChanged = false;
    const members = this.members;
    const sample: TreeSample = { ...emptySample(ms), members: [] };
    if (members.length === 0) return sample;
    const scan = scanProcesses(this.reader, { pids: members, estimate: false, cgroups: false, names: false, selfPid: process.pid });
    // Only the last sample's identities are kept, not every one ever seen: a build that starts a
    // million short processes must not grow footprint by a million strings.
    const measuredNow = new Set<string>();
    for (const measured of scan.samples) {
      const known = this.links.get(measured.pid);
      // The PID now holds another process than the one in the tree: it is not this tree's.
      if (known !== undefined && known.startTime !== measured.startTime) {
        this.setLink({ pid: measured.pid, ppid: measured.ppid, startTime: measured.startTime });
        continue;
      }
      const figures = figuresFromCounters(measured.counters);
      addProcess(sample, figures);
      sample.members.push({ pid: measured.pid, startTime: measured.startTime, writable: figures.writable });
      this.setLink({ pid: measured.pid, ppid: measured.ppid, startTime: measured.startTime });
      const identity = `${measured.pid}:${measured.startTime}`;
      measuredNow.add(identity);
      if (!this.lastMeasured.has(identity)) this.seenCount++;
    }
    this.lastMeasured = measuredNow;
    return sample;
  }

  private readLastPid(): number | undefined {
    const text = this.reader.read('loadavg');
    return text.ok ? lastPidOf(text.text) : undefined;
  }

  private setLink(link: ProcessLink): void {
    const known = this.links.get(link.pid);
    if (known !== undefined && known.ppid === link.ppid && known.startTime === link.startTime) return;
    this.links.set(link.pid, link);
    this.linksChanged = true;
  }

  /** Lists /proc; reads stat of PIDs not known yet (of all of them once a second); forgets PIDs that are gone. */
  private refreshLinks(ms: number): void {
    // The first listing only notes the PIDs that were there before the root started: they cannot
    // descend from it, so their parents need no reading until the first full refresh, a second later.
    const seeding = this.lastFullRefreshMs === undefined && this.before !== undefined;
    const full = !seeding && ms - (this.lastFullRefreshMs ?? 0) >= FULL_REFRESH_MS;
    // The last field of /proc/loadavg is the PID the kernel gave out last: while it stays, no
    // process has been created since, and the listing (the costlier read) can wait.
    const lastPid = this.readLastPid();
    if (!full && lastPid !== undefined && lastPid === this.lastPid) return;
    this.lastPid = lastPid;
    const names = this.reader.listNames();
    if (names === undefined) return;
    if (full || seeding) this.lastFullRefreshMs = ms;
    // Most samples find /proc as the last one did: then only a full refresh has work to do.
    if (!full && sameNames(names, this.lastNames)) return;
    this.lastNames = names;
    const listed = new Set<number>();
    for (const name of names) {
      const code = name.charCodeAt(0);
      if (code < 48 || code > 57) continue;
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      listed.add(pid);
      if (!full && this.links.has(pid)) continue;
      if (seeding && this.before?.has(pid) === true && pid !== this.root.pid) {
        this.links.set(pid, { pid, ppid: -1, startTime: -1 });
        continue;
      }
      const text = this.reader.read(`${pid}/stat`);
      const stat = text.ok ? parseStat(text.text) : undefined;
      if (stat?.ok === true) this.setLink({ pid, ppid: stat.value.ppid, startTime: stat.value.startTime });
      else if (this.links.delete(pid)) this.linksChanged = true;
    }
    for (const pid of this.links.keys()) {
      if (!listed.has(pid)) {
        this.links.delete(pid);
        this.linksChanged = true;
      }
    }
  }
}

/** The last PID given out, from /proc/loadavg ("0.52 0.58 0.59 2/371 12345"); undefined where it cannot be read. */
export function lastPidOf(loadavg: string): number | undefined {
  const match = /\s(\d+)\s*$/.exec(loadavg);
  return match === null ? undefined : Number(match[1]);
}

function sameNames(a: readonly string[], b: readonly string[] | undefined): boolean {
  if (b === undefined || a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
