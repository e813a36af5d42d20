import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownMemoryCgroup } from '../../src/cgroups/runCgroup.js';
import { runChargeOf } from '../../src/cgroups/core/runCharge.js';
import { REPO } from '../helpers/snapshots.js';

describe("the run's memory cgroup: what footprint reads", () => {
  it('its own memory cgroup: the v1 line whose controllers include memory, else the v2 line', () => {
    // This machine's /proc/self/cgroup (v1, with a unified hierarchy beside it).
    const v1 = '12:pids:/process_api/409e\n5:cpu,cpuacct:/process_api/409e\n4:memory:/process_api/409e6dcc\n1:name=systemd:/process_api\n0::/process_api\n';
    expect(ownMemoryCgroup(v1)).toEqual({ version: 1, path: '/process_api/409e6dcc' });
    expect(ownMemoryCgroup('0::/user.slice/user-1000.slice/session-2.scope\n')).toEqual({ version: 2, path: '/user.slice/user-1000.slice/session-2.scope' });
    expect(ownMemoryCgroup('3:cpu:/a\n')).toBeUndefined();
  });

  it("its charge from memory.stat, by the one parser of each version (captured v1 6.18 and v2 6.6 files)", () => {
    const captured = (tree: string, cgroup: string): string => readFileSync(join(REPO, 'snapshots', tree, 'cgroup', cgroup, 'memory.stat'), 'latin1');
    // v1: total_rss 33624064, total_cache 4096, total_shmem 0; the kernel's part is memory.kmem.usage_in_bytes, read apart.
    expect(runChargeOf(1, captured('cgroup-v1-6.18', 'worker'), { peak: 40_000_000, kmem: 1_228_800, source: 'memory.max_usage_in_bytes' }))
      .toEqual({ peak: 40_000_000, anon: 33_624_064, file: 4096, shmem: 0, kernel: 1_228_800, source: 'memory.max_usage_in_bytes' });
    // v2: anon 20971520, file 104857600, shmem 67108864, kernel 3145728.
    expect(runChargeOf(2, captured('cgroup-v2-6.6', 'system.slice/postgres.service'), { peak: 200_000_000, source: 'memory.peak' }))
      .toEqual({ peak: 200_000_000, anon: 20_971_520, file: 104_857_600, shmem: 67_108_864, kernel: 3_145_728, source: 'memory.peak' });
    // A v2 file read as v1 (no total_*), or text that is not memory.stat: no charge, rather than zeros.
    expect(runChargeOf(1, captured('cgroup-v2-6.6', 'system.slice/postgres.service'), { peak: 1, source: 'memory.max_usage_in_bytes' })).toBeUndefined();
    expect(runChargeOf(2, 'bad line\n', { peak: 1, source: 'memory.peak' })).toBeUndefined();
  });
});
