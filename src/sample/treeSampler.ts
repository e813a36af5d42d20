import { parseStat } from '../kernel/procfs/stat.js';
import { figuresFromCounters } from '../reduce/figuresFromCounters.js';
import type { ProcReader } from '../kernel/procReader.js';
import { scanProcesses } from '../scan/scanProcesses.js';
import { environHolds, pageSizeOf, residentPagesOf, vmHwmOf } from './memoryProbe.js';
import { descendantsOfAll, type ProcessLink } from './processTree.js';
import { addProcess, emptySample, type TimelineSample } from './timeline.js';

/** One sample of a tree: its figures summed, and who was in it. */
export interface TreeSample extends TimelineSample {
  /** The measured processes, by PID, with their writable memory. */
  members: { pid: number; startTime: number; writable: number; followed: boolean }[];
  /** Members whose memory footprint may not read (EACCES: another user's, or a setuid program's). */
  denied: number;
}

/** What a probe of the tree saw (see TreeSampler.probe). */
export interface TreeProbe {
  /** The members' resident memory summed (statm), bytes. */
  resident: number;
}

/** How a sampler finds members beyond the PPid tree of its root. */
export interface FollowOptions {
  /** An entry of the root's environment ("FOOTPRINT_RUN=ID"): a new process outside the tree whose environ holds it is followed. */
  marker?: string;
  /** The PIDs of the run's cgroup, read at each full sample: each is a member. */
  cgroupPids?: () => readonly number[] | undefined;
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
  /** The members that are in the root's own PPid tree (the rest are followed). */
  private inOwnTree = new Set<number>();
  private linksChanged = true;
  private lastNames: string[] | undefined;
  private lastPid: number | undefined;
  /** Processes outside the PPid tree that are followed (their environ held the marker, or the cgroup holds them), by PID → start time. */
  private readonly followed = new Map<number, number>();
  private followedCount = 0;
  /** Identities whose environ was looked at, by PID → start time: each is read once. */
  private readonly environChecked = new Map<number, number>();
  private pageSize: number | undefined;
  private highWater: { bytes: number; pid: number } | undefined;

  /**
   * `before`: the PIDs listed before the root was started, if the caller listed them (`run` does):
   * none of those can descend from it, so the first sample reads no parent of theirs.
   */
  constructor(
    private readonly reader: ProcReader, private readonly root: { pid: number; startTime: number }, private readonly before?: ReadonlySet<number>,
    private readonly follow: FollowOptions = {},
  ) {}

  /** Processes that were not (or no longer) in the root's PPid tree and were followed: by the marker, or as cgroup members. */
  get followedProcesses(): number {
    return this.followedCount;
  }

  /**
   * The largest VmHWM read of any member (each sample reads the status of its largest
   * member): the kernel's exact peak RSS of that one process, up to its last sample.
   */
  get kernelHighWater(): { bytes: number; pid: number } | undefined {
    return this.highWater;
  }

  /**
   * The cheap look between full samples: statm of the last sample's members (the
   * kernel's RSS counters, no page-table walk), so that a new high can be sampled at once.
   */
  probe(): TreeProbe {
    this.pageSize ??= pageSizeOf(okText(this.reader.read('self/statm')), okText(this.reader.read('self/status')));
    let resident = 0;
    for (const pid of this.members) {
      const text = this.reader.read(`${pid}/statm`);
      const pages = text.ok ? residentPagesOf(text.text) : undefined;
      if (pages !== undefined) resident += pages * this.pageSize;
    }
    return { resident };
  }

  /**
   * Whether the tree gained a member since the last full sample: when the last PID
   * given out (/proc/loadavg) moved, the new PIDs' parents (and environ, when outside
   * the tree) are read, so that a new member can be sampled at once.
   */
  lookForNewMembers(ms: number): boolean {
    this.refreshLinks(ms, true);
    if (!this.linksChanged) return false;
    const before = new Set(this.members);
    this.members = this.findMembers(undefined);
    this.linksChanged = false;
    return this.members.some((pid) => !before.has(pid));
  }

  /** Distinct processes (PID + start time) measured in any sample so far. */
  get processesSeen(): number {
    return this.seenCount;
  }

  sample(ms: number): TreeSample {
    this.refreshLinks(ms);
    const inCgroup = this.follow.cgroupPids?.();
    // The tree changes only when a link does (a new PID, one gone, a parent that changed), or the cgroup holds one it lacks.
    if (this.linksChanged || inCgroup?.some((pid) => !this.members.includes(pid)) === true) this.members = this.findMembers(inCgroup);
    this.linksChanged = false;
    const members = this.members;
    const sample: TreeSample = { ...emptySample(ms), members: [], denied: 0 };
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
      sample.members.push({ pid: measured.pid, startTime: measured.startTime, writable: figures.writable, followed: !this.inOwnTree.has(measured.pid) });
      this.setLink({ pid: measured.pid, ppid: measured.ppid, startTime: measured.startTime });
      const identity = `${measured.pid}:${measured.startTime}`;
      measuredNow.add(identity);
      if (!this.lastMeasured.has(identity)) this.seenCount++;
    }
    this.lastMeasured = measuredNow;
    sample.denied = scan.counts.denied;
    this.readHighWater(scan.samples);
    return sample;
  }

  /** VmHWM of the member with the most RSS, the one whose peak is the tree's largest single one. */
  private readHighWater(measured: readonly { pid: number; counters: { rss: number } }[]): void {
    let largest: { pid: number; counters: { rss: number } } | undefined;
    for (const each of measured) if (largest === undefined || each.counters.rss > largest.counters.rss) largest = each;
    if (largest === undefined) return;
    const text = this.reader.read(`${largest.pid}/status`);
    const bytes = text.ok ? vmHwmOf(text.text) : undefined;
    if (bytes !== undefined && bytes > (this.highWater?.bytes ?? -1)) this.highWater = { bytes, pid: largest.pid };
  }

  /** The root's tree and the trees of the followed processes. */
  private findMembers(inCgroup: readonly number[] | undefined): number[] {
    const tree = descendantsOfAll([this.root], this.links.values());
    this.inOwnTree = new Set(tree);
    if (this.follow.marker === undefined && this.followed.size === 0 && inCgroup === undefined) return tree;
    const inTree = new Set(tree);
    for (const pid of inCgroup ?? []) {
      const link = this.links.get(pid);
      if (link !== undefined && link.startTime >= 0 && !inTree.has(pid)) this.addFollowed(pid, link.startTime);
    }
    // Processes outside the tree, new or reparented, are looked at once each for the marker; one
    // older than the root cannot have inherited it.
    if (this.follow.marker !== undefined) {
      for (const link of this.links.values()) {
        if (inTree.has(link.pid) || link.startTime < this.root.startTime || this.environChecked.get(link.pid) === link.startTime) continue;
        this.environChecked.set(link.pid, link.startTime);
        const environ = this.reader.read(`${link.pid}/environ`);
        if (environ.ok && environHolds(environ.text, this.follow.marker)) this.addFollowed(link.pid, link.startTime);
      }
    }
    const roots = [this.root, ...[...this.followed].map(([pid, startTime]) => ({ pid, startTime }))];
    return descendantsOfAll(roots, this.links.values());
  }

  private addFollowed(pid: number, startTime: number): void {
    if (this.followed.get(pid) === startTime) return;
    this.followed.set(pid, startTime);
    this.followedCount++;
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
  private refreshLinks(ms: number, onlyNew = false): void {
    // The first listing only notes the PIDs that were there before the root started: they cannot
    // descend from it, so their parents need no reading until the first full refresh, a second later.
    const seeding = this.lastFullRefreshMs === undefined && this.before !== undefined;
    const full = !seeding && !onlyNew && ms - (this.lastFullRefreshMs ?? 0) >= FULL_REFRESH_MS;
    if (seeding && onlyNew) return;
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
    for (const pid of this.environChecked.keys()) if (!this.links.has(pid)) this.environChecked.delete(pid);
    for (const [pid, startTime] of this.followed) if (this.links.get(pid)?.startTime !== startTime) this.followed.delete(pid);
  }
}

function okText(outcome: { ok: true; text: string } | { ok: false }): string | undefined {
  return outcome.ok ? outcome.text : undefined;
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
