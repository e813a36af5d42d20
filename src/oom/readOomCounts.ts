import { parseCgroupProcs } from '../cgroupfs/cgroupProcs.js';
import { parseMemoryEvents, parseOomControl } from '../cgroupfs/memoryEvents.js';
import type { CgroupReader } from '../cgroups/cgroupReader.js';
import type { ProcReader } from '../scan/procReader.js';
import { parseVmstatOomKills } from './vmstatOomKills.js';

/** One cgroup's OOM kill count and its own member processes, at one moment. */
export interface CgroupOomCount {
  /** v2 memory.events oom_kill (this cgroup and its descendants); v1 memory.oom_control oom_kill (this cgroup alone). */
  oomKills?: number;
  /** cgroup.procs: its own members. */
  procs?: readonly number[];
}

/** The OOM kill counters of the machine and of every memory cgroup, read together. */
export interface OomCounts {
  /** /proc/vmstat oom_kill, read after the cgroups' counters; undefined where the kernel has none or it is unreadable. */
  machine?: number;
  /** /proc/vmstat oom_kill read before them: kills in between may come after their cgroup was read (attributeKills). */
  machineBeforeWalk?: number;
  /** By cgroup path ("/", "/a/b"); empty without a memory hierarchy. */
  cgroups: Map<string, CgroupOomCount>;
}

/** Bounds of the walk, as readCgroupTree's: a hostile tree could be deep or wide. */
const MAX_CGROUPS = 100_000;
const MAX_DEPTH = 64;

/**
 * Reads only what noticing a kill needs, for the whole hierarchy: two small
 * files per cgroup (memory.events or memory.oom_control, and cgroup.procs
 * unless `withMembers` is false),
 * not the memory files the cgroups view reads. Every cgroup, at any depth:
 * v1 counts a kill in the victim's own cgroup alone (memcg_memory_event stops
 * there off the default hierarchy), so a kill deep down shows nowhere above.
 * A file that cannot be read is left out, never a failure.
 */
export function readOomCounts(proc: ProcReader | undefined, cgroups: { reader: CgroupReader; version: 1 | 2 } | undefined, withMembers = true): OomCounts {
  const counts: OomCounts = { cgroups: new Map() };
  const machineKills = (): number | undefined => {
    const vmstat = proc?.read('vmstat');
    return vmstat?.ok ? parseVmstatOomKills(vmstat.text) : undefined;
  };
  if (cgroups === undefined) {
    counts.machine = machineKills();
    return counts;
  }
  counts.machineBeforeWalk = machineKills();
  const { reader, version } = cgroups;
  const eventsFile = version === 2 ? 'memory.events' : 'memory.oom_control';
  const parseEvents = version === 2 ? parseMemoryEvents : parseOomControl;
  const visit = (path: string, depth: number): void => {
    if (counts.cgroups.size >= MAX_CGROUPS || depth > MAX_DEPTH) return;
    const dir = path === '/' ? '' : path.slice(1);
    const at = (name: string) => (dir === '' ? name : `${dir}/${name}`);
    const entry: CgroupOomCount = {};
    const events = reader.read(at(eventsFile));
    if (events.ok) {
      const parsed = parseEvents(events.text);
      if (parsed.ok && parsed.value.oomKills !== undefined) entry.oomKills = parsed.value.oomKills;
    }
    // Members tell the victim apart (OomWatch); the metrics alone do not need them.
    const procs = withMembers ? reader.read(at('cgroup.procs')) : undefined;
    if (procs?.ok) {
      const parsed = parseCgroupProcs(procs.text);
      if (parsed.ok) entry.procs = parsed.value;
    }
    counts.cgroups.set(path, entry);
    const children = reader.children(dir);
    if (!Array.isArray(children)) return;
    for (const child of children) visit(path === '/' ? `/${child}` : `${path}/${child}`, depth + 1);
  };
  visit('/', 0);
  // After every cgroup counter: the kernel raises the machine's first, so each kill a cgroup shows is in it.
  counts.machine = machineKills();
  return counts;
}
