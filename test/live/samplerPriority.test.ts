/**
 * run's sampler goes ahead of CPU hogs where it may: as root its thread runs at
 * nice -5 once CMD is running, while CMD (and what CMD starts) keeps the nice
 * value it was given. As a user, nothing changes. CMD prints its own nice value,
 * a child's and its parent's (footprint's main thread): field 19 of stat.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { assertBuilt, footprint, footprintAsNobody, removeNobodyCopy } from '../helpers/runFootprint.js';
import { SAMPLER_NICE } from '../../src/run/samplerPriority.js';

/** Field 19 of a stat file, counted after the command name's closing parenthesis (the name may hold spaces). */
const niceOf = (path: string) => `sed 's/.*) //' ${path} | cut -d' ' -f17`;
/** CMD itself ($$), a process CMD starts (sed, reading its own stat) and footprint (CMD's parent). */
const SCRIPT = [
  `echo "cmd $(${niceOf('/proc/$$/stat')})"`,
  `echo "child $(${niceOf('/proc/self/stat')})"`,
  `echo "footprint $(${niceOf('/proc/$PPID/stat')})"`,
].join('; ');

beforeAll(() => assertBuilt());
afterAll(() => removeNobodyCopy());

describe("the sampler's priority", () => {
  test('as root: footprint at nice -5, CMD and its child at 0', () => {
    const result = footprint(['run', '--', 'sh', '-c', SCRIPT]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`cmd 0\nchild 0\nfootprint ${SAMPLER_NICE}\n`);
  });

  test('as nobody: nothing raised, nothing refused', () => {
    const result = footprintAsNobody(['run', '--', 'sh', '-c', SCRIPT]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('cmd 0\nchild 0\nfootprint 0\n');
  });
});
