import { describe, expect, it } from '@jest/globals';
import { readFileSync, statSync } from 'node:fs';
import { deviceFromMaps, deviceFromMountinfo, deviceFromStat } from '../../../src/kernel/procfs/deviceNumber.js';

describe('one device number from three spellings', () => {
  it('smaps\' hex and mountinfo\'s decimal name one device (/dev/shm here: 00:1a in maps, 0:26 in mountinfo)', () => {
    expect(deviceFromMaps('00:1a')).toBe('0:26');
    expect(deviceFromMountinfo('0:26')).toBe('0:26');
    expect(deviceFromMaps('103:05')).toBe('259:5');
    expect(deviceFromMaps('00:1g')).toBeUndefined();
    expect(deviceFromMountinfo('0x1:2')).toBeUndefined();
  });

  it('stat\'s st_dev: the kernel\'s encoding, small and large numbers', () => {
    expect(deviceFromStat(26)).toBe('0:26');
    expect(deviceFromStat((259 << 8) | 5)).toBe('259:5');
    // major 4097 and minor 300: both have bits past the short form.
    const encoded = (300n & 0xffn) | ((4097n & 0xfffn) << 8n) | ((300n & ~0xffn) << 12n) | ((4097n & ~0xfffn) << 32n);
    expect(deviceFromStat(encoded)).toBe('4097:300');
  });

  it('agrees with the kernel: stat of /proc and of /dev/shm against their lines in mountinfo', () => {
    const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
    for (const mountPoint of ['/proc', '/dev/shm']) {
      // The last line at a mount point is the mount in effect.
      const fields = lines.filter((line) => line.split(' ')[4] === mountPoint).at(-1)!.split(' ');
      expect(deviceFromStat(statSync(mountPoint, { bigint: true }).dev)).toBe(deviceFromMountinfo(fields[2]));
    }
  });
});
