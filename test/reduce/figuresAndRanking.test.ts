import { describe, expect, it } from '@jest/globals';
import { emptyCounters } from '../../src/kernel/procfs/memoryCounters.js';
import { parseSmapsRollup } from '../../src/kernel/procfs/smapsRollup.js';
import { figuresFromCounters } from '../../src/reduce/figuresFromCounters.js';
import { rankGroups } from '../../src/reduce/rankGroups.js';
import type { ProgramGroup } from '../../src/model/report.js';
import { snapshotText, KIB } from '../helpers/snapshots.js';

describe('figuresFromCounters', () => {
  it('python shm_kinds.py (node-many-mappings/11165 smaps_rollup)', () => {
    const rollup = parseSmapsRollup(snapshotText('node-many-mappings', '11165/smaps_rollup'));
    if (!rollup.ok) throw new Error(rollup.error.reason);
    // Rollup: Rss 10172, Pss 8274, Private_Clean 3924, Private_Dirty 4056, Pss_Dirty 4056 kB, no swap.
    // private = 3924 + 4056 = 7980; shared = 8274 - 7980 = 294; ram = 7980 + 294 = 8274.
    expect(figuresFromCounters(rollup.value)).toEqual({
      writable: 4056 * KIB, privateClean: 3924 * KIB, private: 7980 * KIB, shared: 294 * KIB,
      ram: 8274 * KIB, pss: 8274 * KIB, rss: 10172 * KIB, swap: 0, pssDirty: 4056 * KIB,
    });
  });

  it('Private_Hugetlb counts as private but not in shared (it is in no other field)', () => {
    const c = { ...emptyCounters(), pss: 300, privateClean: 100, privateDirty: 100, privateHugetlb: 2048 * KIB };
    expect(figuresFromCounters(c)).toMatchObject({ writable: 100, private: 200 + 2048 * KIB, shared: 100, ram: 300 + 2048 * KIB });
  });

  it('SwapPss when the kernel has it, else Swap', () => {
    expect(figuresFromCounters({ ...emptyCounters(), swap: 8192, swapPss: 4096 }).swap).toBe(4096);
    expect(figuresFromCounters({ ...emptyCounters(), swap: 8192 }).swap).toBe(8192);
  });

  it('Pss rounded below the private pages gives a share of 0, never negative', () => {
    expect(figuresFromCounters({ ...emptyCounters(), pss: 1000, privateClean: 512, privateDirty: 1024 })).toMatchObject({ shared: 0, ram: 1536 });
  });
});

function group(name: string, writable: number, ram: number, count = 1, estimated = false): ProgramGroup {
  return { name, count, pids: [], writable, privateClean: 0, private: writable, shared: ram - writable, ram, pss: ram, rss: ram, swap: 0, estimated };
}

describe('rankGroups', () => {
  const groups = [group('b', 10, 50), group('a', 10, 20, 3), group('c', 30, 30), group('a', 5, 5, 1, true)];
  const names = (ranked: ProgramGroup[]) => ranked.map((g) => `${g.name}${g.estimated ? '~' : ''}`);

  it('largest writable first, ties by name, an estimate after the measured group of the same name', () => {
    expect(names(rankGroups(groups, 'writable'))).toEqual(['c', 'a', 'b', 'a~']);
  });
  it('by ram', () => expect(names(rankGroups(groups, 'ram'))).toEqual(['b', 'c', 'a', 'a~']));
  it('by count', () => expect(names(rankGroups(groups, 'count'))).toEqual(['a', 'a~', 'b', 'c']));
  it('by name, A to Z', () => expect(names(rankGroups(groups, 'name'))).toEqual(['a', 'a~', 'b', 'c']));
  it('--reverse flips the order', () => expect(names(rankGroups(groups, 'writable', true))).toEqual(['a~', 'b', 'a', 'c']));
  it('does not sort the caller\'s array', () => {
    rankGroups(groups, 'name');
    expect(names(groups)).toEqual(['b', 'a', 'c', 'a~']);
  });
});
