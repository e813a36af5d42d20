/** `footprint shmem`'s bad input: a one-line error and exit 2. */
import { describe, expect, it } from '@jest/globals';
import { assertBuilt, footprint } from '../helpers/runFootprint.js';

describe('shmem: usage errors', () => {
  it.each([
    [['--json', '--csv'], /--json and --csv cannot be used together/],
    [['-n', '0'], /--top: "0" is not a positive whole number/],
    [['-n', 'ten'], /--top: "ten" is not a positive whole number/],
    [['--match', '(unclosed'], /--match: /],
    [['--proc-root', '/nonexistent/proc'], /--proc-root \/nonexistent\/proc: not a \/proc tree/],
  ])('shmem %j: exit 2, one line', (args, message) => {
    assertBuilt();
    const run = footprint(['shmem', ...args]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});
