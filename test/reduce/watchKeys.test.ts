/**
 * The keys of `watch` on a terminal, as a pure reducer: the bytes one read of a
 * raw terminal gives, the view after them, and what they ask of the loop.
 */
import { describe, expect, it } from '@jest/globals';
import { pressKeys, SORT_CYCLE, type WatchView } from '../../src/reduce/watchKeys.js';

const START: WatchView = { sort: 'writable', reverse: false, group: 'program' };

describe('pressKeys', () => {
  it('s goes through the sort keys that have a column, S back; round to where it began', () => {
    expect(SORT_CYCLE).toEqual(['writable', 'private', 'shared', 'ram', 'swap', 'oom', 'count', 'name']);
    expect(pressKeys(START, 's')).toEqual({ view: { ...START, sort: 'private' }, quit: false, redraw: true, rescan: false });
    expect(pressKeys(START, 'S').view.sort).toBe('name');
    expect(pressKeys(START, 's'.repeat(SORT_CYCLE.length)).view).toEqual(START);
    // --sort pss has no column: s goes to the first of the cycle, S to the last.
    expect(pressKeys({ ...START, sort: 'pss' }, 's').view.sort).toBe('writable');
    expect(pressKeys({ ...START, sort: 'pss' }, 'S').view.sort).toBe('name');
  });

  it('g goes through the groupings (a new scan, the change since the start begins again), G back', () => {
    expect(pressKeys(START, 'g')).toEqual({ view: { ...START, group: 'cmdline' }, quit: false, redraw: true, rescan: true });
    expect(pressKeys(START, 'gg').view.group).toBe('pid');
    expect(pressKeys(START, 'G').view.group).toBe('cgroup');
    expect(pressKeys(START, 'ggggg').view.group).toBe('program');
  });

  it('r turns smallest-first on and off', () => {
    expect(pressKeys(START, 'r')).toEqual({ view: { ...START, reverse: true }, quit: false, redraw: true, rescan: false });
    expect(pressKeys(START, 'rr').view.reverse).toBe(false);
  });

  it('q and Ctrl-C quit, keys typed after them are not read; keys typed before them are', () => {
    expect(pressKeys(START, 'q')).toMatchObject({ quit: true, view: START });
    expect(pressKeys(START, '\x03')).toMatchObject({ quit: true, view: START });
    expect(pressKeys(START, 'sq g')).toEqual({ view: { ...START, sort: 'private' }, quit: true, redraw: true, rescan: false });
  });

  it('other keys, and escape sequences whole (an arrow, a function key, Alt-s), change nothing', () => {
    for (const input of ['x', ' ', '\r', '\x1b[A', '\x1b[1;5C', '\x1bOP', '\x1bs', '\x1b[200~']) {
      expect(pressKeys(START, input)).toEqual({ view: START, quit: false, redraw: false, rescan: false });
    }
    // Keys typed ahead of an arrow still count.
    expect(pressKeys(START, 's\x1b[Br').view).toEqual({ ...START, sort: 'private', reverse: true });
  });
});
