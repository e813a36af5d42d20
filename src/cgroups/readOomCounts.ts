import { parseCgroupProcs } from '../kernel/cgroupfs/cgroupProcs.js';
import { parseMemoryEvents, parseOomControl } from '../kernel/cgroupfs/memoryEvents.js';
import type { CgroupReader } from '../kernel/cgroupReader.js';
import type { ProcReader } from '../kernel/procReader.js';
import { parseVmstatOomKills } from '../kernel/procfs/vmstatOomKills.js';
import { walkCgroupDirs } from '../kernel/walkCgroupDirs.js';
import type { CgroupOomCount, OomCounts } from './core/model.js';
export type { CgroupOomCount, OomCounts } from './core/model.js';

/**
 * Reads only what noticing a kill needs, for the whole hierarchy: two small
 * files per cgroup (memory.events or memory.oom_control, and cgroup.procs
 * unless `withMembers` is false),
 * not the memory files the cgroups view reads. Every cgroup, at any depth,
 * whatever its name's bytes or its path's length (walkCgroupDirs):
 * v1 counts a kill in the victim's own cgroup alone (memcg_memory_event stops
 * there off the default hierarchy), so a kill deep down shows nowhere above.
 * A file that cannot be read is left out, never a failure; a cgroup that
 * cannot be visited is counted in `unread`, with why. The machine's counter is
 * read before and after the walk (attributeKills says why both). `afterCgroup`
 * is called after each cgroup's files are read (tests time a kill inside the walk by it).
 */
export function readOomCounts(
  proc: ProcReader | undefined,
  cgroups: { reader: CgroupReader; version: 1 | 2 } | undefined,
  withMembers = true,
  afterCgroup?: (path: string) => void,
): OomCounts {
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
  const walk = walkCgroupDirs(reader.root, (cgroup) => {
    const entry: CgroupOomCount = {};
    const events = cgroup.read(eventsFile);
    if (events !== undefined) {
      const parsed = parseEvents(events);
      if (parsed.ok && parsed.value.oomKills !== undefined) entry.oomKills = parsed.value.oomKills;
    }
    // Members tell the victim apart (OomWatch); the metrics alone do not need them.
    const procs = withMembers ? cgroup.read('cgroup.procs') : undefined;
    if (procs !== undefined) {
      const parsed = parseCgroupProcs(procs);
      if (parsed.ok) entry.procs = parsed.value;
    }
    counts.cgroups.set(cgroup.path, entry);
    afterCgroup?.(cgroup.path);
  });
  if (walk.unread > 0) counts.unread = { cgroups: walk.unread, reasons: walk.unreadReasons };
  // After every cgroup counter: the kernel raises the machine's first, so each kill a cgroup shows is in it.
  counts.machine = machineKills();
  return counts;
}
