import { describe, expect, it } from '@jest/globals';
import { parseMeminfo } from '../../../src/kernel/procfs/meminfo.js';
import { snapshotText, KIB } from '../../helpers/snapshots.js';

describe('parseMeminfo over a captured /proc/meminfo', () => {
  const text = snapshotText('kernel-thread', 'meminfo');

  it('every line, kB lines in bytes, unitless counts as they are', () => {
    const result = parseMeminfo(text);
    if (!result.ok) throw new Error(result.error.reason);
    const meminfo = result.value;
    // wc -l snapshots/kernel-thread/proc/meminfo: 53 lines, 53 keys.
    expect(Object.keys(meminfo)).toHaveLength(53);
    // grep -E '^(MemTotal|MemAvailable|Shmem|SUnreclaim|Active\(anon\)|HugePages_Total|Hugepagesize):' ...
    expect(meminfo.MemTotal).toBe(24683620 * KIB);
    expect(meminfo.MemAvailable).toBe(24166456 * KIB);
    expect(meminfo.Shmem).toBe(21240 * KIB);
    expect(meminfo.SUnreclaim).toBe(29528 * KIB);
    expect(meminfo['Active(anon)']).toBe(1568 * KIB);
    expect(meminfo.HugePages_Total).toBe(0);
    expect(meminfo.Hugepagesize).toBe(2048 * KIB);
  });

  it('a malformed line is a typed error with its line number', () => {
    const lines = text.split('\n');
    lines[22] = 'Shmem:             21240 MB'; // line 23
    expect(parseMeminfo(lines.join('\n'))).toEqual({
      ok: false, error: { file: 'meminfo', line: 23, text: 'Shmem:             21240 MB', reason: 'expected "Key: N kB"' },
    });
  });

  it('a kB count past 2^53 bytes (8796093022207 kB) is a typed error, not a rounded figure', () => {
    const lines = text.split('\n');
    lines[0] = 'MemTotal:       18446744073709551616 kB';
    expect(parseMeminfo(lines.join('\n'))).toEqual({
      ok: false, error: { file: 'meminfo', line: 1, text: lines[0], reason: 'value of MemTotal is past what any machine holds' },
    });
  });

  it('text without MemTotal is not meminfo', () => {
    const result = parseMeminfo(text.split('\n').slice(1).join('\n'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.reason).toBe('no MemTotal');
  });
});
