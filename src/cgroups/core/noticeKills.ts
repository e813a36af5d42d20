import type { OomKill, OomMark, OomVictim } from '../../model/oomMark.js';
import type { Report } from '../../model/report.js';
import { FIGURES, type MemoryFigures } from '../../model/figures.js';
import type { KernelOomKill } from '../../kernel/kmsg/kernelOomLine.js';
import type { OomCounts } from './model.js';
import type { KillCounting } from '../../kernel/cgroupfs/cgroupMounts.js';

/** The most PIDs an OOM kill lists as gone when it cannot tell which of them was killed. */
const MAX_GONE_LISTED = 32;

function parentOf(path: string): string | undefined {
  if (path === '/') return undefined;
  const slash = path.lastIndexOf('/');
  return slash === 0 ? '/' : path.slice(0, slash);
}

/**
 * Each cgroup's own kills between two readings. v2 counts a kill in the
 * victim's cgroup and every ancestor below the root (memory.events is
 * hierarchical), so a parent's own share is its rise less its children's; v1
 * counts it in the victim's cgroup alone. A cgroup new since the reading
 * before counts all its kills (it was made and saw them in between).
 */
export function ownKillRises(before: OomCounts, after: OomCounts, kills: KillCounting): Map<string, number> {
  const rises = new Map<string, number>();
  for (const [path, now] of after.cgroups) {
    if (now.oomKills === undefined) continue;
    const then = before.cgroups.get(path);
    if (then !== undefined && then.oomKills === undefined) continue;
    const rise = now.oomKills - (then?.oomKills ?? 0);
    if (rise > 0) rises.set(path, rise);
  }
  if (kills === 'own') return rises;
  const own = new Map(rises);
  for (const [path, rise] of rises) {
    const parent = parentOf(path);
    if (parent !== undefined && own.has(parent)) own.set(parent, own.get(parent)! - rise);
  }
  for (const [path, count] of own) if (count <= 0) own.delete(path);
  return own;
}

function figuresOf(group: MemoryFigures): MemoryFigures {
  // A figure not known (oomScore, optional) stays absent, as in the saved report's JSON.
  return Object.fromEntries(FIGURES.filter((figure) => group[figure.key] !== undefined).map((figure) => [figure.key, group[figure.key]])) as MemoryFigures;
}

/** Where the report saw the PID: its group, and the group's figures when the group was the process alone. */
function lastSeenIn(report: Report, victim: OomVictim): void {
  const group = report.groups.find((each) => each.pids.includes(victim.pid));
  if (group === undefined) return;
  victim.group = group.name;
  victim.groupProcesses = group.count;
  victim.name ??= group.name;
  if (group.count === 1) victim.lastSeen = figuresOf(group);
}

function fromKernel(kill: KernelOomKill): OomVictim {
  return {
    pid: kill.pid, name: kill.name, by: 'kernel', kernelLine: kill.line,
    atKill: { anonRss: kill.anonRss, fileRss: kill.fileRss, shmemRss: kill.shmemRss, totalVm: kill.totalVm, uid: kill.uid, oomScoreAdj: kill.oomScoreAdj },
  };
}

/**
 * How the kills of one span between two readings are told apart: each
 * cgroup's own, those outside every cgroup read, and those not placed yet.
 *
 * Why a kill could be counted twice, and how it is not. The kernel raises the
 * machine's counter first and then the victim's cgroup's (__oom_kill_process:
 * count_vm_event(OOM_KILL), then memcg_memory_event_mm(MEMCG_OOM_KILL), one
 * after the other in the killing task, before the signal and before the
 * Killed line). A reading takes /proc/vmstat (V0), then walks the cgroups,
 * each counter read at its own moment (5,000 of them take seconds), then
 * /proc/vmstat again (V1). So:
 *  - every kill a cgroup counter of the walk shows had raised vmstat before
 *    V1: counted from V1 to V1, the machine's rise covers all the cgroups'
 *    rises of kills in that span, and what is left over ("unexplained") is
 *    never below nought;
 *  - a kill counted in vmstat before V0 was counted in its cgroup before the
 *    walk began: if no cgroup read shows it, none ever will — a kill outside
 *    the cgroups read (a cgroup v2 root's own, a cgroup past the walk or
 *    removed since, one whose counter could not be read);
 *  - a kill during the walk (at most V1 − V0 of them) may have come after
 *    its cgroup was read: this reading cannot show it, the next will. Up to
 *    V1 − V0 unexplained kills are carried to the next reading, not said to
 *    be outside; the next reading's cgroup rises explain them, and what they
 *    do not explain then is outside (its cgroup went in between).
 * Reading vmstat once, before the walk (as footprint did), counted a kill
 * during the walk in its cgroup at once and again as outside at the next
 * reading; once, after the walk, would do the reverse. Each kill is said
 * once: in its cgroup when a counter shows it, else outside, never both.
 * A cgroup new since the reading before brings all its kills, some perhaps
 * older than that reading (it was there, unread): more than the machine's
 * rise, never carried as less than nought.
 */
export interface KillSpan {
  /** Each cgroup's own kills (ownKillRises). */
  own: Map<string, number>;
  /** Kills no cgroup counter read shows, nor will. */
  outside: number;
  /** Kills during the walk not shown by any cgroup counter yet: the next reading's. */
  carried: number;
  /** /proc/vmstat oom_kill's rise, V1 to V1; undefined where unreadable. */
  machineKills?: number;
}

export function attributeKills(before: OomCounts, after: OomCounts, kills: KillCounting, carriedBefore: number): KillSpan {
  const own = ownKillRises(before, after, kills);
  if (before.machine === undefined || after.machine === undefined) return { own, outside: 0, carried: 0 };
  const machineKills = Math.max(0, after.machine - before.machine);
  let inCgroups = 0;
  for (const count of own.values()) inCgroups += count;
  const unexplained = Math.max(0, carriedBefore + machineKills - inCgroups);
  const duringWalk = after.machineBeforeWalk === undefined ? 0 : Math.max(0, after.machine - after.machineBeforeWalk);
  const carried = Math.min(unexplained, duringWalk);
  return { own, outside: unexplained - carried, carried, machineKills };
}

export interface KillReading {
  before: OomCounts;
  after: OomCounts;
  /** How the counters count (MemoryHierarchyMount.kills): v2's in every ancestor, v1's (and memory_localevents') in the victim's cgroup alone. */
  kills: KillCounting;
  /** Kills the reading before left unplaced (KillSpan.carried); 0 at the first. */
  carried: number;
  /** The kernel's Killed lines logged in between (none without /dev/kmsg). */
  kernelKills: readonly KernelOomKill[];
  /** The last scan before the rise: the report to be saved. */
  report: Report;
  noticedAt: Date;
}

export interface NoticedKills {
  /** undefined when nothing rose (or only kills carried to the next reading). */
  mark?: OomMark;
  /** KillSpan.carried: for the next reading. */
  carried: number;
  /** Kernel lines no kill of this span claimed: a kill counted after this reading logs its line before the next. */
  unclaimed: KernelOomKill[];
}

/** Whether a kernel line was a cgroup's limit (the summary rate-limited, it still says so). */
const isMemcgKill = (kill: KernelOomKill) => kill.constraint === 'CONSTRAINT_MEMCG' || (kill.constraint === undefined && kill.message === 'Memory cgroup out of memory');

/**
 * The OOM mark for a rise of the kill counters, or none when nothing rose.
 * The victim of a cgroup's kill, in this order: the kernel's line that names
 * that cgroup as the task's (task_memcg, in the summary line); the kernel's
 * line without a summary (the kernel rate-limits it: 10 in 5 s) for a PID
 * that was a member of that cgroup at either reading (or whose summary's path
 * is no cgroup read: the kernel cuts a long one short); else, where one cgroup
 * alone still lacks victims, the cgroup-limit lines no cgroup claimed, when
 * exactly as many as its kills; else the process gone from it since the
 * reading before, when exactly as many went as were killed. Kernel lines no
 * cgroup claimed are the victims of kills outside them.
 */
export function noticeKills(reading: KillReading): NoticedKills {
  const { before, after } = reading;
  const span = attributeKills(before, after, reading.kills, reading.carried);
  const unclaimed = [...reading.kernelKills];
  if (span.own.size === 0 && span.outside === 0) return { carried: span.carried, unclaimed };
  // A summary's path that is no cgroup read: cut short by the kernel (a path of over about 1,000 bytes), or a cgroup gone.
  const namesCgroupRead = (kill: KernelOomKill) => kill.taskMemcg !== undefined && (after.cgroups.has(kill.taskMemcg) || before.cgroups.has(kill.taskMemcg));
  const claim = (test: (kill: KernelOomKill) => boolean): KernelOomKill | undefined => {
    const index = unclaimed.findIndex(test);
    return index < 0 ? undefined : unclaimed.splice(index, 1)[0];
  };
  const kills: OomKill[] = [];
  const cgroups = [...span.own].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const byKill = new Map<string, OomVictim[]>();
  // Named by the summary line first, everywhere: a PID's membership must not take another cgroup's named line.
  for (const [cgroup, count] of cgroups) {
    const victims: OomVictim[] = [];
    for (let kernel; victims.length < count && (kernel = claim((kill) => kill.taskMemcg === cgroup)) !== undefined;) victims.push(fromKernel(kernel));
    byKill.set(cgroup, victims);
  }
  for (const [cgroup, count] of cgroups) {
    const victims = byKill.get(cgroup)!;
    const members = new Set([...(before.cgroups.get(cgroup)?.procs ?? []), ...(after.cgroups.get(cgroup)?.procs ?? [])]);
    for (let kernel; victims.length < count && (kernel = claim((kill) => !namesCgroupRead(kill) && members.has(kill.pid))) !== undefined;) victims.push(fromKernel(kernel));
  }
  const lacking = cgroups.filter(([cgroup, count]) => byKill.get(cgroup)!.length < count);
  if (lacking.length === 1) {
    const [cgroup, count] = lacking[0];
    const victims = byKill.get(cgroup)!;
    const candidates = unclaimed.filter((kill) => !namesCgroupRead(kill) && isMemcgKill(kill));
    if (candidates.length === count - victims.length) for (const kernel of candidates) victims.push(fromKernel(claim((kill) => kill === kernel)!));
  }
  for (const [cgroup, count] of cgroups) {
    const victims = byKill.get(cgroup)!;
    const present = new Set(after.cgroups.get(cgroup)?.procs ?? []);
    const gone = (before.cgroups.get(cgroup)?.procs ?? []).filter((pid) => !present.has(pid));
    if (victims.length === 0 && gone.length === count) victims.push(...gone.map((pid): OomVictim => ({ pid, by: 'gone' })));
    const kill: OomKill = { cgroup, count, victims };
    if (victims.length < count && gone.length > 0) kill.gone = gone.slice(0, MAX_GONE_LISTED);
    kills.push(kill);
  }
  // Without the machine's counter the lines no cgroup claimed are all there is to tell kills outside.
  const outside = span.machineKills === undefined ? unclaimed.length : span.outside;
  if (outside > 0) {
    // The lines that name no cgroup read, or none at all, before those that name one (a kill of the next reading's).
    const ordered = [...unclaimed.filter((kill) => !namesCgroupRead(kill)), ...unclaimed.filter(namesCgroupRead)];
    const victims = ordered.slice(0, outside);
    for (const victim of victims) unclaimed.splice(unclaimed.indexOf(victim), 1);
    const kill: OomKill = { count: outside, victims: victims.map(fromKernel) };
    if (after.unread !== undefined) kill.unread = after.unread;
    kills.push(kill);
  }
  for (const kill of kills) for (const victim of kill.victims) lastSeenIn(reading.report, victim);
  const mark: OomMark = { noticedAt: reading.noticedAt.toISOString(), kills };
  if (span.machineKills !== undefined) mark.machineKills = span.machineKills;
  return { mark, carried: span.carried, unclaimed };
}
