import type { MemoryFigures } from './figures.js';

/**
 * What marks a saved report as an OOM report: `watch` or `serve` saw the OOM
 * killer's counters rise, and saved the last scan it had taken before (the
 * report's own `time` is that scan's). An optional field of footprint.report/1.
 */
export interface OomMark {
  /** When the rise was seen (ISO 8601): the kills happened between the report's time and this. */
  noticedAt: string;
  /** /proc/vmstat oom_kill's rise: every kill on the machine in that span, in a cgroup or not; absent where unreadable. */
  machineKills?: number;
  /** The kills, by the cgroup they happened in (as far as it can be told). */
  kills: OomKill[];
}

export interface OomKill {
  /** The memory cgroup whose oom_kill rose (its path in the hierarchy); absent: a kill outside every cgroup counter footprint read. */
  cgroup?: string;
  /** How many kills. */
  count: number;
  /** Who was killed, where it can be told; none, where it cannot (see `gone`). */
  victims: OomVictim[];
  /** When more processes left the cgroup than were killed: all of them (up to 32), of which the victims are some. */
  gone?: number[];
  /** Of a kill outside the cgroups read: the cgroups the walk could not visit (each counted), and why (a few), where it could not visit some. */
  unread?: { cgroups: number; reasons: string[] };
}

export interface OomVictim {
  pid: number;
  /** Its name: the kernel's comm, or its group's name in the report. Untrusted: a process names itself. */
  name?: string;
  /**
   * How it was told: `kernel`, the OOM killer's own line in /dev/kmsg (root);
   * `gone`, the one process gone from the cgroup since the scan before (as many gone as killed).
   */
  by: 'kernel' | 'gone';
  /** The kernel's line, as it wrote it ("Memory cgroup out of memory: Killed process ..."). */
  kernelLine?: string;
  /** The kernel's figures at the kill (its kB as bytes): anon-rss, file-rss, shmem-rss, total-vm. */
  atKill?: { anonRss: number; fileRss: number; shmemRss: number; totalVm: number; uid: number; oomScoreAdj: number };
  /** The group that held its PID in the report, and how many processes the group had. */
  group?: string;
  groupProcesses?: number;
  /** Its figures in the report: its group's, when the group was this process alone. */
  lastSeen?: MemoryFigures;
}
