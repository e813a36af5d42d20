import { describe, expect, it } from '@jest/globals';
import { cheapFromCounters, cheapFromStatm, cheapFromStatus, cheapMove, residentMove, residentOf } from '../../src/budget/cheapFigures.js';
import { parseSmapsRollup } from '../../src/kernel/procfs/smapsRollup.js';
import { parseStatm } from '../../src/kernel/procfs/statm.js';
import { parseStatus } from '../../src/kernel/procfs/status.js';
import { snapshotText } from '../helpers/snapshots.js';

const KIB = 1024;
const MIB = 2 ** 20;

describe('parseStatm', () => {
  it('reads the seven page counts of one line', () => {
    expect(parseStatm('2731 468 342 1 0 155 0\n')).toEqual({ ok: true, value: { sizePages: 2731, residentPages: 468, sharedPages: 342, textPages: 1, dataPages: 155 } });
    // A kernel thread's: all zeros.
    expect(parseStatm('0 0 0 0 0 0 0\n')).toMatchObject({ ok: true, value: { residentPages: 0 } });
  });

  it.each([
    ['six counts', '2731 468 342 1 0 155\n'],
    ['a word', '2731 468 shared 1 0 155 0\n'],
    ['a negative count', '2731 -468 342 1 0 155 0\n'],
    ['a count past 2^53', '2731 9999999999999999 342 1 0 155 0\n'],
    ['two spaces', '2731  468 342 1 0 155 0\n'],
    ['nothing', ''],
  ])('refuses %s, with the line', (_what, text) => {
    const result = parseStatm(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ file: 'statm', line: 1 });
  });
});

describe('the cheap figures', () => {
  it('come from status: RssAnon, RssFile + RssShmem, VmSwap', () => {
    const status = parseStatus(snapshotText('node-many-mappings', '11163/status'));
    if (!status.ok) throw new Error('unparsable');
    const cheap = cheapFromStatus(status.value)!;
    expect(cheap).toEqual({ anon: 6328 * KIB, fileAndShmem: 34008 * KIB, swap: 0 });
    expect(residentOf(cheap)).toBe(40336 * KIB);
  });

  it('are none for a kernel thread, whose status has no RssAnon', () => {
    const status = parseStatus(snapshotText('kernel-thread', '2/status'));
    if (!status.ok) throw new Error('unparsable');
    expect(cheapFromStatus(status.value)).toBeUndefined();
  });

  it('come from statm in pages, shared never above resident, none past 2^53 bytes', () => {
    expect(cheapFromStatm({ sizePages: 9, residentPages: 468, sharedPages: 342, textPages: 1, dataPages: 155 }, 4096)).toEqual({ anon: 126 * 4096, fileAndShmem: 342 * 4096 });
    expect(cheapFromStatm({ sizePages: 9, residentPages: 10, sharedPages: 12, textPages: 1, dataPages: 1 }, 4096)).toEqual({ anon: 0, fileAndShmem: 10 * 4096 });
    expect(cheapFromStatm({ sizePages: 9, residentPages: 2 ** 50, sharedPages: 0, textPages: 1, dataPages: 1 }, 65536)).toBeUndefined();
  });

  it('move by the sum of the changes of their parts over what they were', () => {
    const before = { anon: 300 * MIB, fileAndShmem: 100 * MIB, swap: 0 };
    expect(cheapMove(before, before)).toBe(0);
    expect(cheapMove(before, { anon: 400 * MIB, fileAndShmem: 100 * MIB, swap: 0 })).toBe(0.25);
    // A fall counts as much as a rise; swap counts where both have it.
    expect(cheapMove(before, { anon: 250 * MIB, fileAndShmem: 150 * MIB, swap: 100 * MIB })).toBe(0.5);
    expect(cheapMove(before, { anon: 300 * MIB, fileAndShmem: 100 * MIB })).toBe(0);
    expect(cheapMove({ anon: 0, fileAndShmem: 0 }, { anon: 0, fileAndShmem: 0 })).toBe(0);
    expect(cheapMove({ anon: 0, fileAndShmem: 0 }, { anon: 4096, fileAndShmem: 0 })).toBe(1);
  });

  it("come from an exact read's own counters: Anonymous, Rss − Anonymous, Swap — what status said beside it", () => {
    const rollup = parseSmapsRollup(snapshotText('node-many-mappings', '11163/smaps_rollup'));
    if (!rollup.ok) throw new Error('unparsable');
    expect(cheapFromCounters(rollup.value)).toEqual({ anon: 6328 * KIB, fileAndShmem: 34008 * KIB, swap: 0 });
  });

  it('move by the resident size alone where one reading has no parts (stat only)', () => {
    const before = { anon: 300 * MIB, fileAndShmem: 100 * MIB };
    expect(residentMove(before, 400 * MIB, undefined, 440 * MIB)).toBeCloseTo(0.1, 12);
    // Parts that trade places do not move the resident size; read part by part they do.
    expect(residentMove(before, 400 * MIB, undefined, 400 * MIB)).toBe(0);
    expect(residentMove(before, 400 * MIB, { anon: 400 * MIB, fileAndShmem: 0 }, 400 * MIB)).toBe(0.5);
    expect(residentMove(undefined, 0, undefined, 0)).toBe(0);
    expect(residentMove(undefined, 0, undefined, MIB)).toBe(1);
  });
});
