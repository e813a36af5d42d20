import { describe, expect, it } from '@jest/globals';
import { parseCounterFile, parseLimitFile } from '../../../src/kernel/cgroupfs/cgroupValue.js';

describe('single-value cgroup files', () => {
  it.each([
    ['2224361472\n', 2224361472],
    ['0\n', 0],
    ['4096', 4096],
  ])('counter %j is %d bytes', (text, bytes) => {
    expect(parseCounterFile('memory.current', text)).toEqual({ ok: true, value: bytes });
  });

  it.each([
    ['max\n', null],
    ['9223372036854771712\n', null], // v1, 4 KiB pages: LONG_MAX rounded down to a page
    ['9223372036854710272\n', null], // v1, 64 KiB pages
    ['67108864\n', 67108864],
    ['0\n', 0],
  ])('limit %j is %p', (text, limit) => {
    expect(parseLimitFile('memory.max', text)).toEqual({ ok: true, value: limit });
  });

  it.each([
    ['', 'expected a whole number'],
    ['-1\n', 'expected a whole number'],
    ['12 kB\n', 'expected a whole number'],
    ['1\n2\n', 'expected one line'],
    ['99999999999999999\n', 'number out of range'],
    ['123456789012345678901\n', 'expected a whole number'],
  ])('counter %j is refused: %s', (text, reason) => {
    const result = parseCounterFile('memory.current', text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ file: 'memory.current', reason });
  });

  it('a huge limit below the counter maximum is out of range, not "no limit"', () => {
    const result = parseLimitFile('memory.limit_in_bytes', '9007199254740993\n');
    expect(result.ok).toBe(false);
    expect(parseLimitFile('memory.max', 'maximum\n').ok).toBe(false);
  });
});
