import { describe, expect, it } from '@jest/globals';
import { ownMemoryCgroup, parseMemoryStat } from '../../src/cgroups/runCgroup.js';

describe("the run's memory cgroup: what footprint reads", () => {
  it('its own memory cgroup: the v1 line whose controllers include memory, else the v2 line', () => {
    // This machine's /proc/self/cgroup (v1, with a unified hierarchy beside it).
    const v1 = '12:pids:/process_api/409e\n5:cpu,cpuacct:/process_api/409e\n4:memory:/process_api/409e6dcc\n1:name=systemd:/process_api\n0::/process_api\n';
    expect(ownMemoryCgroup(v1)).toEqual({ version: 1, path: '/process_api/409e6dcc' });
    expect(ownMemoryCgroup('0::/user.slice/user-1000.slice/session-2.scope\n')).toEqual({ version: 2, path: '/user.slice/user-1000.slice/session-2.scope' });
    expect(ownMemoryCgroup('3:cpu:/a\n')).toBeUndefined();
  });

  it('memory.stat as numbers by key', () => {
    const stat = parseMemoryStat('cache 45056\nrss 94208\nrss_huge 0\nshmem 0\ntotal_rss 94208\nbad line\n');
    expect([stat.get('cache'), stat.get('total_rss'), stat.get('shmem'), stat.has('bad')]).toEqual([45056, 94208, 0, false]);
  });
});
