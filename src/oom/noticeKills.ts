import type { OomKill, OomMark, OomVictim } from '../model/oomMark.js';
import type { Report } from '../model/report.js';
import { FIGURES, type MemoryFigures } from '../model/figures.js';
import type { KernelOomKill } from './kernelOomLine.js';
import type { OomCounts } from './readOomCounts.js';
import type { KillCounting } from '../cgroupfs/cgroupMounts.js';

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

export interface KillReading {
  before: OomCounts;
  after: OomCounts;
  /** How the counters count (MemoryHierarchyMount.kills): v2's in every ancestor, v1's (and memory_localevents') in the victim's cgroup alone. */
  kills: KillCounting;
  /** The kernel's Killed lines logged in between (none without /dev/kmsg). */
  kernelKills: readonly KernelOomKill[];
  /** The last scan before the rise: the report to be saved. */
  report: Report;
  noticedAt: Date;
}

/**
 * The OOM mark for a rise of the kill counters, or undefined when nothing rose.
 * The victim of a cgroup's kill: the kernel's line that names that cgroup as
 * the task's (task_memcg), else the kernel's line for a PID gone from it, else
 * the process gone from it since the reading before when exactly as many went
 * as were killed. Kernel lines no cgroup claimed are the kills outside them.
 */
export function noticeKills(reading: KillReading): OomMark | undefined {
  const { before, after } = reading;
  const own = ownKillRises(before, after, reading.kills);
  const machineKills = before.machine !== undefined && after.machine !== undefined ? after.machine - before.machine : undefined;
  if (own.size === 0 && !(machineKills !== undefined && machineKills > 0)) return undefined;
  const unclaimed = [...reading.kernelKills];
  const claim = (test: (kill: KernelOomKill) => boolean): KernelOomKill | undefined => {
    const index = unclaimed.findIndex(test);
    return index < 0 ? undefined : unclaimed.splice(index, 1)[0];
  };
  const kills: OomKill[] = [];
  let inCgroups = 0;
  for (const [cgroup, count] of [...own].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    inCgroups += count;
    const present = new Set(after.cgroups.get(cgroup)?.procs ?? []);
    const gone = (before.cgroups.get(cgroup)?.procs ?? []).filter((pid) => !present.has(pid));
    const victims: OomVictim[] = [];
    for (let index = 0; index < count; index++) {
      const kernel = claim((kill) => kill.taskMemcg === cgroup) ?? claim((kill) => kill.taskMemcg === undefined && gone.includes(kill.pid));
      if (kernel === undefined) break;
      victims.push(fromKernel(kernel));
    }
    if (victims.length === 0 && gone.length === count) victims.push(...gone.map((pid): OomVictim => ({ pid, by: 'gone' })));
    const kill: OomKill = { cgroup, count, victims };
    if (victims.length < count && gone.length > 0) kill.gone = gone.slice(0, MAX_GONE_LISTED);
    kills.push(kill);
  }
  const outside = machineKills === undefined ? unclaimed.length : machineKills - inCgroups;
  if (outside > 0) kills.push({ count: outside, victims: unclaimed.slice(0, outside).map(fromKernel) });
  for (const kill of kills) for (const victim of kill.victims) lastSeenIn(reading.report, victim);
  const mark: OomMark = { noticedAt: reading.noticedAt.toISOString(), kills };
  if (machineKills !== undefined) mark.machineKills = machineKills;
  return mark;
}
