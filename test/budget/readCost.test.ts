import { describe, expect, it } from '@jest/globals';
import { expectedReadMs, GIB, INITIAL_READ_COST, learnMachineCost, learnProcessRate, msPerGiB, residentWithinMs } from '../../src/budget/readCost.js';

const MIB = 2 ** 20;

describe('the cost of an exact read', () => {
  it('is a fixed part and a walk proportional to the resident size, at the machine rate until the process has its own', () => {
    expect(msPerGiB(INITIAL_READ_COST.walk)).toBe(20);
    expect(expectedReadMs(0, INITIAL_READ_COST)).toBe(0.2);
    expect(expectedReadMs(8 * GIB, INITIAL_READ_COST)).toBe(160.2);
    expect(expectedReadMs(8 * GIB, INITIAL_READ_COST, { walkMs: 50, gib: 10 })).toBe(40.2);
  });

  it('learns the machine rate from reads of at least 64 MiB, weighted by size, the first guess fading', () => {
    // One 8 GiB read of 56.2 ms (56 of walk): (5 × 0.8 + 56) / (0.25 × 0.8 + 8) = 60 / 8.2.
    const once = learnMachineCost(INITIAL_READ_COST, 8 * GIB, 56.2);
    expect(once.walk.walkMs).toBeCloseTo(60, 10);
    expect(once.walk.gib).toBeCloseTo(8.2, 10);
    expect(msPerGiB(once.walk)).toBeCloseTo(7.317, 3);
    // Ten more at 7 ms per GiB: the rate comes to 7 within 1%.
    let machine = once;
    for (let n = 0; n < 10; n++) machine = learnMachineCost(machine, 2 * GIB, 0.2 + 14);
    expect(msPerGiB(machine.walk)).toBeGreaterThan(7);
    expect(msPerGiB(machine.walk)).toBeLessThan(7.07);
    expect(machine.baseMs).toBe(0.2);
  });

  it('learns the fixed part from the reads of small processes, which say nothing of the walk', () => {
    const machine = learnMachineCost(INITIAL_READ_COST, 4 * MIB, 0.5);
    expect(machine.walk).toEqual(INITIAL_READ_COST.walk);
    expect(machine.baseMs).toBeCloseTo(0.2 * 0.9 + 0.5 * 0.1, 12);
  });

  it("learns a process's own rate from its reads, half from the last one", () => {
    const first = learnProcessRate(undefined, INITIAL_READ_COST, 2 * GIB, 100.2);
    expect(first).toEqual({ walkMs: 100, gib: 2 });
    expect(expectedReadMs(2 * GIB, INITIAL_READ_COST, first)).toBeCloseTo(100.2, 10);
    const second = learnProcessRate(first, INITIAL_READ_COST, 2 * GIB, 20.2);
    expect(second).toEqual({ walkMs: 70, gib: 3 });
    // Too small to say: unchanged, and none where there was none.
    expect(learnProcessRate(second, INITIAL_READ_COST, 10 * MIB, 5)).toBe(second);
    expect(learnProcessRate(undefined, INITIAL_READ_COST, 10 * MIB, 5)).toBeUndefined();
  });

  it('learns nothing from a time that is not one', () => {
    expect(learnMachineCost(INITIAL_READ_COST, GIB, Number.NaN)).toBe(INITIAL_READ_COST);
    expect(learnMachineCost(INITIAL_READ_COST, GIB, -1)).toBe(INITIAL_READ_COST);
    expect(learnProcessRate(undefined, INITIAL_READ_COST, GIB, Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('gives the largest resident size read within a bound, the inverse of the expected read', () => {
    // 10 ms at 0.2 fixed and 20 ms/GiB: 9.8 / 20 GiB = 0.49 GiB.
    expect(residentWithinMs(INITIAL_READ_COST, 10)).toBeCloseTo(0.49 * GIB, 0);
    expect(expectedReadMs(residentWithinMs(INITIAL_READ_COST, 10), INITIAL_READ_COST)).toBeCloseTo(10, 10);
    // A bound below the fixed part reads nothing new; a walk that costs nothing yet, any size.
    expect(residentWithinMs(INITIAL_READ_COST, 0.1)).toBe(0);
    expect(residentWithinMs({ baseMs: 0.2, walk: { walkMs: 0, gib: 0 } }, 10)).toBe(Infinity);
  });
});
