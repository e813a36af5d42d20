/**
 * Picks the cgroup path that names a process's unit or container from
 * /proc/PID/cgroup: the unified (v2) line "0::/path" when it says more than "/",
 * else systemd's v1 hierarchy, else the memory controller's.
 */
export function parseCgroupPath(text: string): string {
  const paths = new Map<string, string>();
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    paths.set(line.slice(first + 1, second), line.slice(second + 1));
  }
  for (const controller of ['', 'name=systemd', 'memory']) {
    const path = paths.get(controller);
    if (path !== undefined && path !== '/') return path;
  }
  return paths.get('') ?? paths.values().next().value ?? '/';
}
