import { describe, expect, it } from '@jest/globals';
import { hidingOption, mountAt, parseMountinfo } from '../../../src/kernel/procfs/mountinfo.js';
import { parseLoadavgTasks } from '../../../src/kernel/procfs/loadavg.js';

/* Lines of this machine's /proc/self/mountinfo (Linux 6.18), the second and third after `mount -t proc -o hidepid=2 proc /tmp/x`. */
const LIVE = '22 27 0:21 / /proc rw,relatime - proc proc rw';
const HIDDEN = '42 27 0:39 / /tmp/ss-procqY5S rw,relatime - proc proc rw,hidepid=invisible';
const SUBSET = '43 27 0:40 / /tmp/ss-procqY5S rw,relatime - proc proc rw,hidepid=invisible,subset=pid';

describe('parseMountinfo', () => {
  it('mount point, type and the filesystem\'s own options', () => {
    expect(parseMountinfo(`${LIVE}\n${HIDDEN}\n`)).toEqual([
      { mountPoint: '/proc', fsType: 'proc', superOptions: ['rw'] },
      { mountPoint: '/tmp/ss-procqY5S', fsType: 'proc', superOptions: ['rw', 'hidepid=invisible'] },
    ]);
  });

  it('optional fields before the separator, and \\040 (a space) in a path', () => {
    const line = '36 35 98:0 /mnt1 /mnt/my\\040proc rw,noatime master:1 shared:2 - proc proc rw,hidepid=2';
    expect(parseMountinfo(line)).toEqual([{ mountPoint: '/mnt/my proc', fsType: 'proc', superOptions: ['rw', 'hidepid=2'] }]);
  });

  it('the last mount at a path is the one in effect', () => {
    expect(mountAt(parseMountinfo(`${HIDDEN}\n${LIVE}\n${SUBSET}`), '/tmp/ss-procqY5S')?.superOptions).toEqual(['rw', 'hidepid=invisible', 'subset=pid']);
    expect(mountAt(parseMountinfo(LIVE), '/elsewhere')).toBeUndefined();
  });
});

describe('hidingOption: what makes processes invisible', () => {
  it.each([
    ['rw', undefined],
    ['rw,hidepid=0', undefined],
    ['rw,hidepid=off', undefined],
    // noaccess lists the processes (their files refuse): they are counted as denied, not hidden.
    ['rw,hidepid=1', undefined],
    ['rw,hidepid=noaccess', undefined],
    ['rw,hidepid=2', 'hidepid=2'],
    ['rw,hidepid=invisible', 'hidepid=invisible'],
    ['rw,hidepid=4', 'hidepid=4'],
    ['rw,hidepid=ptraceable,gid=10', 'hidepid=ptraceable'],
    // subset=pid hides meminfo and the like, not processes.
    ['rw,subset=pid', undefined],
  ])('%s: %s', (options, expected) => {
    expect(hidingOption({ mountPoint: '/proc', fsType: 'proc', superOptions: options.split(',') })).toBe(expected);
  });

  it('only on a procfs', () => {
    expect(hidingOption({ mountPoint: '/x', fsType: 'tmpfs', superOptions: ['hidepid=2'] })).toBeUndefined();
  });
});

describe('parseLoadavgTasks: the fourth field\'s total', () => {
  it('a captured /proc/loadavg', () => {
    expect(parseLoadavgTasks('2.40 2.36 1.13 1/392 15019\n')).toEqual({ ok: true, value: 392 });
  });

  it.each(['2.40 2.36 1.13 1/-392 15019', '2.40 2.36 1.13 392 15019', '', '2.40 2.36 1.13 1/12x34 1'])('%j is a typed error', (text) => {
    expect(parseLoadavgTasks(text).ok).toBe(false);
  });
});
