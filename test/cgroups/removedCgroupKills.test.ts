import { describe, expect, test } from '@jest/globals';
import { RemovedCgroupKills } from '../../src/cgroups/core/removedCgroupKills.js';
import { oomKillsBySubtree } from '../../src/cgroups/core/cgroupMetrics.js';

/** v1 own counts (memory.oom_control oom_kill) by path, as one reading gives them. */
const reading = (counts: Record<string, number | undefined>) => new Map(Object.entries(counts).map(([path, oomKills]) => [path, oomKills === undefined ? {} : { oomKills }]));

describe("v1: a removed cgroup's kills stay in its ancestors' counters", () => {
  test('a child with 2 kills removed: its parent and the top keep them; a later kill in the parent adds to them', () => {
    const kept = new RemovedCgroupKills();
    const first = oomKillsBySubtree(kept.apply(reading({ '/': 0, '/a': 1, '/a/job': 2 })), 'own');
    expect(Object.fromEntries(first)).toEqual({ '/': 3, '/a': 3, '/a/job': 2 });
    const second = oomKillsBySubtree(kept.apply(reading({ '/': 0, '/a': 1 })), 'own');
    expect(Object.fromEntries(second)).toEqual({ '/': 3, '/a': 3 });
    const third = oomKillsBySubtree(kept.apply(reading({ '/': 0, '/a': 2 })), 'own');
    expect(Object.fromEntries(third)).toEqual({ '/': 4, '/a': 4 });
  });

  test('a parent and its child removed at once: both go to the nearest cgroup still there; a removed heir passes on what it kept', () => {
    const kept = new RemovedCgroupKills();
    kept.apply(reading({ '/': 0, '/a': 0, '/a/b': 1, '/a/b/c': 4 }));
    expect(Object.fromEntries(oomKillsBySubtree(kept.apply(reading({ '/': 0, '/a': 0 })), 'own'))).toEqual({ '/': 5, '/a': 5 });
    // Now /a goes too, holding the 5 it kept: the top keeps them.
    expect(Object.fromEntries(oomKillsBySubtree(kept.apply(reading({ '/': 0 })), 'own'))).toEqual({ '/': 5 });
  });

  test("a cgroup made again under the same name starts at 0: the old one's kills stay with its parent", () => {
    const kept = new RemovedCgroupKills();
    kept.apply(reading({ '/': 0, '/svc': 3 }));
    expect(Object.fromEntries(oomKillsBySubtree(kept.apply(reading({ '/': 0, '/svc': 0 })), 'own'))).toEqual({ '/': 3, '/svc': 0 });
    expect(Object.fromEntries(oomKillsBySubtree(kept.apply(reading({ '/': 0, '/svc': 1 })), 'own'))).toEqual({ '/': 4, '/svc': 1 });
  });

  test('an unreadable counter stays unknown, and nothing is kept for a cgroup with no kills', () => {
    const kept = new RemovedCgroupKills();
    kept.apply(reading({ '/': undefined, '/a': 0 }));
    expect(kept.apply(reading({ '/': undefined }))).toEqual(new Map([['/', {}]]));
  });
});
