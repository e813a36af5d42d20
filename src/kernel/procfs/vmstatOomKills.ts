/** The largest count taken for real: a counter past 2^53 is no counter but a broken or hostile file. */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;

/**
 * /proc/vmstat's `oom_kill`: every process the OOM killer has killed since
 * boot, machine-wide (count_vm_event(OOM_KILL) in mm/oom_kill.c, since 4.13),
 * whether a cgroup's limit or the whole machine ran out. undefined where the
 * kernel has no such line (before 4.13) or it is not a count.
 */
export function parseVmstatOomKills(text: string): number | undefined {
  const match = /(?:^|\n)oom_kill (\d{1,16})(?:\n|$)/.exec(text);
  if (match === null) return undefined;
  const count = Number(match[1]);
  return count <= MAX_COUNT ? count : undefined;
}
