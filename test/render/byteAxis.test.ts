import { describe, expect, it } from '@jest/globals';
import { byteAxis, formatTick } from '../../src/render/byteAxis.js';
import { formatColumn } from '../../src/render/units.js';

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('byteAxis: round binary ticks, the top just at or above the data', () => {
  it.each([
    // data, top, step, labels
    [GiB, GiB, 256 * MiB, ['0 B', '256 MiB', '512 MiB', '768 MiB', '1 GiB']],
    [1.2 * GiB, 1.25 * GiB, 256 * MiB, ['0 B', '256 MiB', '512 MiB', '768 MiB', '1 GiB', '1.25 GiB']],
    [900 * MiB, GiB, 256 * MiB, ['0 B', '256 MiB', '512 MiB', '768 MiB', '1 GiB']],
    [300 * MiB, 320 * MiB, 64 * MiB, ['0 B', '64 MiB', '128 MiB', '192 MiB', '256 MiB', '320 MiB']],
    [KiB, KiB, 256, ['0 B', '256 B', '512 B', '768 B', '1 KiB']],
    [1000, KiB, 256, ['0 B', '256 B', '512 B', '768 B', '1 KiB']],
    [3, 3, 1, ['0 B', '1 B', '2 B', '3 B']],
    [0, KiB, 256, ['0 B', '256 B', '512 B', '768 B', '1 KiB']],
  ])('%d bytes: top %d, step %d', (data, top, step, labels) => {
    const axis = byteAxis(data);
    expect(axis.top).toBe(top);
    expect(axis.step).toBe(step);
    expect(axis.ticks.map(formatTick)).toEqual(labels);
    expect(axis.ticks[axis.ticks.length - 1]).toBe(top);
  });

  it('never more than 5 intervals, and never a top below the data', () => {
    for (let data = 1; data < 64 * GiB; data = Math.ceil(data * 1.37)) {
      const axis = byteAxis(data);
      expect(axis.ticks.length - 1).toBeLessThanOrEqual(5);
      expect(axis.top).toBeGreaterThanOrEqual(data);
      expect(axis.top - data).toBeLessThan(axis.step);
      expect(Math.log2(axis.step) % 1).toBe(0);
    }
  });
});

describe('formatColumn: each figure its own unit in auto, one unit when --units forces it', () => {
  it.each([
    // auto: each figure in its own unit, as ps_mem prints them; zero "0 B"
    [[1006.6 * MiB, GiB, 300 * MiB], 'auto', ['1006.6 MiB', '1.0 GiB', '300.0 MiB']],
    [[6328 * KiB, 4056 * KiB, 116 * KiB, 0], 'auto', ['6.2 MiB', '4.0 MiB', '116.0 KiB', '0 B']],
    [[1.2 * GiB, 5 * MiB], 'auto', ['1.2 GiB', '5.0 MiB']],
    [[8 * MiB, 40 * KiB], 'auto', ['8.0 MiB', '40.0 KiB']],
    [[900, 12], 'auto', ['900 B', '12 B']],
    // a fixed unit: as --units always printed it, tiny figures "<"
    [[2 * GiB, 40 * MiB, 0], 'GiB', ['2.0 GiB', '<0.1 GiB', '0.0 GiB']],
    [[6328 * KiB, 100], 'KiB', ['6328 KiB', '<1 KiB']],
  ] as [number[], 'auto' | 'GiB' | 'KiB', string[]][])('%j in %s', (values, unit, texts) => {
    expect(formatColumn(values, unit)).toEqual(texts);
  });
});
