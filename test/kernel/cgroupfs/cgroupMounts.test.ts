import { describe, expect, it } from '@jest/globals';
import { memoryCgroupOf, parseCgroupMounts } from '../../../src/kernel/cgroupfs/cgroupMounts.js';

/** This machine's cgroup lines of /proc/self/mountinfo, then a v2-only host's and a container's. */
const MOUNTINFO = `23 1 253:1 / / rw,relatime - ext4 /dev/vda rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
50 23 0:32 / /mnt/memory\\040again rw,relatime - cgroup cgroup rw,memory
51 23 0:40 /kubepods/pod1 /mnt/pod rw,nosuid shared:9 - cgroup cgroup rw,cpuset,memory
`;

describe('cgroup mounts from mountinfo', () => {
  it('v1 hierarchies with the memory controller (once each) and every cgroup2 mount', () => {
    expect(parseCgroupMounts(MOUNTINFO)).toEqual([
      { version: 1, mountPoint: '/sys/fs/cgroup/memory', root: '/', kills: 'own' },
      { version: 2, mountPoint: '/sys/fs/cgroup/unified', root: '/', kills: 'subtree' },
      { version: 1, mountPoint: '/mnt/pod', root: '/kubepods/pod1', kills: 'own' },
    ]);
  });

  it("v2's kill counters count in every ancestor, but in the victim's cgroup alone on a memory_localevents mount (cgroup-v2.rst)", () => {
    // As systemd mounts it on a v2-only host, then with the option (Documentation/admin-guide/cgroup-v2.rst, "memory_localevents").
    expect(parseCgroupMounts('26 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n'))
      .toEqual([{ version: 2, mountPoint: '/sys/fs/cgroup', root: '/', kills: 'subtree' }]);
    expect(parseCgroupMounts('26 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_localevents\n'))
      .toEqual([{ version: 2, mountPoint: '/sys/fs/cgroup', root: '/', kills: 'own' }]);
  });

  it('unescapes octal escapes in paths', () => {
    expect(parseCgroupMounts('60 23 0:50 / /mnt/my\\040cgroups rw - cgroup2 cgroup2 rw\n'))
      .toEqual([{ version: 2, mountPoint: '/mnt/my cgroups', root: '/', kills: 'subtree' }]);
  });

  it('skips lines that do not parse', () => {
    expect(parseCgroupMounts('garbage\n1 2 3\n- cgroup2\n')).toEqual([]);
  });
});

describe("a process's memory cgroup", () => {
  const V1 = '9:name=systemd:/\n4:memory:/process_api/742588450f6cdb44a16d237fd4d651a2\n3:cpu,cpuacct:/\n0::/\n';
  it('v1: the line naming the memory controller; v2: the unified line', () => {
    expect(memoryCgroupOf(V1, 1)).toBe('/process_api/742588450f6cdb44a16d237fd4d651a2');
    expect(memoryCgroupOf(V1, 2)).toBe('/');
    expect(memoryCgroupOf('0::/system.slice/nginx.service\n', 2)).toBe('/system.slice/nginx.service');
    expect(memoryCgroupOf('0::/system.slice/nginx.service\n', 1)).toBeUndefined();
    expect(memoryCgroupOf('5:cpuset,memory:/a\n', 1)).toBe('/a');
  });
});
