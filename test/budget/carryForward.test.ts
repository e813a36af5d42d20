import { describe, expect, it } from '@jest/globals';
import { carryForward, exactFigures, figuresWithoutRead, statusFigures } from '../../src/budget/carryForward.js';
import type { ExactRead } from '../../src/budget/budgetState.js';
import { cheapFromStatus, type CheapFigures } from '../../src/budget/cheapFigures.js';
import { groupFreshness } from '../../src/budget/groupFreshness.js';
import { parseSmapsRollup } from '../../src/kernel/procfs/smapsRollup.js';
import { parseStatus } from '../../src/kernel/procfs/status.js';
import { figuresFromCounters } from '../../src/reduce/figuresFromCounters.js';
import { snapshotText } from '../helpers/snapshots.js';

const KIB = 1024;
const MIB = 2 ** 20;

/**
 * A node process captured on a 6.x kernel (snapshots/node-many-mappings, PID 11163):
 * Private_Dirty 6328 kB, Pss 17080 kB, Rss 40336 kB, Shared_Clean 34008 kB;
 * status RssAnon 6328 kB, RssFile 34008 kB, RssShmem 0, VmSwap 0.
 */
function capturedExact(atMs: number): ExactRead {
  const rollup = parseSmapsRollup(snapshotText('node-many-mappings', '11163/smaps_rollup'));
  const status = parseStatus(snapshotText('node-many-mappings', '11163/status'));
  if (!rollup.ok || !status.ok) throw new Error('the captured files do not parse');
  const { other: _other, ...counters } = rollup.value;
  return { atMs, scan: 1, counters, cheap: cheapFromStatus(status.value)! };
}

describe('carrying figures forward', () => {
  const exact = capturedExact(1_000);

  it('starts from the captured figures', () => {
    expect(exact.cheap).toEqual({ anon: 6328 * KIB, fileAndShmem: 34008 * KIB, swap: 0 });
    expect(figuresFromCounters({ ...exact.counters, other: {} })).toMatchObject({ writable: 6328 * KIB, shared: (17080 - 6328) * KIB, rss: 40336 * KIB });
  });

  it('adds the change in RssAnon to writable and private, in RssFile + RssShmem to shared, in VmSwap to swap', () => {
    const now: CheapFigures = { anon: (6328 + 102_400) * KIB, fileAndShmem: (34008 + 1024) * KIB, swap: 4096 * KIB };
    const carried = carryForward(exact, now, 61_000);
    expect(carried).toMatchObject({ basis: 'carried', exactAgeMs: 60_000, carriedAnon: 102_400 * KIB, carriedShared: 1024 * KIB });
    expect(figuresFromCounters(carried.counters)).toEqual({
      writable: (6328 + 102_400) * KIB,
      privateClean: 0,
      private: (6328 + 102_400) * KIB,
      shared: (17080 - 6328 + 1024) * KIB,
      ram: (17080 + 102_400 + 1024) * KIB,
      pss: (17080 + 102_400 + 1024) * KIB,
      rss: (40336 + 102_400 + 1024) * KIB,
      // SwapPss where the kernel has it, moved as VmSwap moved.
      swap: 4096 * KIB,
      // Pss_Dirty (Linux 6.0+) moves as writable moved: private anonymous pages are all of their Pss.
      pssDirty: (6328 + 102_400) * KIB,
    });
    expect(carried.counters.anonymous).toBe((6328 + 102_400) * KIB);
    expect(carried.counters.pssAnon).toBe((6328 + 102_400) * KIB);
    // What was not carried is as read.
    expect(carried.counters.sharedClean).toBe(34008 * KIB);
  });

  it('stops a part that shrank by more than the exact read saw of it at 0, and Pss moves only by what writable moved', () => {
    const now: CheapFigures = { anon: 0, fileAndShmem: 34008 * KIB, swap: 0 };
    const shrunk = carryForward({ ...exact, cheap: { ...exact.cheap, anon: 8000 * KIB } }, now, 2_000);
    const figures = figuresFromCounters(shrunk.counters);
    expect(figures.writable).toBe(0);
    expect(shrunk.carriedAnon).toBe(-6328 * KIB);
    expect(figures.shared).toBe((17080 - 6328) * KIB);
    expect(figures.pss).toBe((17080 - 6328) * KIB);
  });

  it('moves no swap where one of the two cheap readings has none (statm)', () => {
    const carried = carryForward(exact, { anon: exact.cheap.anon, fileAndShmem: exact.cheap.fileAndShmem }, 1_000);
    expect(figuresFromCounters(carried.counters)).toEqual(figuresFromCounters({ ...exact.counters, other: {} }));
    expect(carried.exactAgeMs).toBe(0);
  });

  it('gives a process never read exactly its status figures, marked as such', () => {
    const cheap: CheapFigures = { anon: 300 * MIB, fileAndShmem: 2 * MIB, swap: MIB };
    const figures = statusFigures(cheap);
    expect(figures.basis).toBe('status');
    expect(figures.exactAgeMs).toBeUndefined();
    expect(figuresFromCounters(figures.counters)).toMatchObject({ writable: 300 * MIB, shared: 2 * MIB, swap: MIB, rss: 302 * MIB });
    expect(figuresWithoutRead(undefined, cheap, 5)).toEqual(figures);
    expect(figuresWithoutRead(exact, cheap, 5).basis).toBe('carried');
  });

  it("gives a group its oldest exact read's age and the share of its RAM used carried", () => {
    const read = exactFigures({ ...exact.counters, other: {} });
    const carried = carryForward(exact, exact.cheap, 91_000);
    const never = statusFigures({ anon: 10 * MIB, fileAndShmem: 0 });
    // RAM used of the captured process: private + shared = Private_Dirty + (Pss - Private_Dirty) = Pss.
    const readRam = 17080 * KIB;
    expect(groupFreshness([read, carried])).toEqual({ exact: 1, carried: 1, fromStatus: 0, oldestExactAgeMs: 90_000, carriedShare: 0.5 });
    expect(groupFreshness([read, never])).toEqual({ exact: 1, carried: 0, fromStatus: 1, oldestExactAgeMs: 0, carriedShare: (10 * MIB) / (readRam + 10 * MIB) });
    expect(groupFreshness([never])).toEqual({ exact: 0, carried: 0, fromStatus: 1, carriedShare: 1 });
    expect(groupFreshness([read])).toEqual({ exact: 1, carried: 0, fromStatus: 0, oldestExactAgeMs: 0, carriedShare: 0 });
    expect(groupFreshness([])).toEqual({ exact: 0, carried: 0, fromStatus: 0, carriedShare: 0 });
  });
});
