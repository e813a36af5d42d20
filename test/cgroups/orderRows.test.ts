import { describe, expect, it } from '@jest/globals';
import { orderRows } from '../../src/cgroups/core/orderRows.js';
import type { CgroupRow } from '../../src/cgroups/core/model.js';

function row(path: string, charge: number | undefined, headroom?: number): CgroupRow {
  const depth = path === '/' ? 0 : path.split('/').length - 1;
  const result: CgroupRow = { path, depth, version: 2, limits: {}, unreadable: [] };
  if (charge !== undefined) {
    result.charge = { charge, source: 'memory.current', parts: [], unknown: [], workingSet: charge, inactiveFile: 0 };
  }
  if (headroom !== undefined) result.headroom = headroom;
  return result;
}

const ROWS = [row('/', undefined), row('/a', 300), row('/a/x', 100, 50), row('/a/y', 200, 10), row('/b', 500, 400), row('/b/z', 20)];

describe('ordering cgroup rows', () => {
  it('tree: each cgroup followed by its children, ranked among themselves', () => {
    expect(orderRows(ROWS, { flat: false, sort: 'charge' }).map((r) => r.path)).toEqual(['/', '/b', '/b/z', '/a', '/a/y', '/a/x']);
  });

  it('tree with -n: the N highest ranked rows with the cgroups above them, still as a tree', () => {
    expect(orderRows(ROWS, { flat: false, sort: 'charge', top: 3 }).map((r) => r.path)).toEqual(['/', '/b', '/a']);
    expect(orderRows(ROWS, { flat: false, sort: 'charge', top: 4 }).map((r) => r.path)).toEqual(['/', '/b', '/a', '/a/y']);
    // Headroom ranks /a/y first: its parents come with it. Two rows cannot hold it and its parents: /b (and /) instead.
    expect(orderRows(ROWS, { flat: false, sort: 'headroom', top: 3 }).map((r) => r.path)).toEqual(['/', '/a', '/a/y']);
    expect(orderRows(ROWS, { flat: false, sort: 'headroom', top: 2 }).map((r) => r.path)).toEqual(['/', '/b']);
  });

  it('flat: all ranked together, unknown last; headroom least first, rows without a limit last', () => {
    expect(orderRows(ROWS, { flat: true, sort: 'charge' }).map((r) => r.path)).toEqual(['/b', '/a', '/a/y', '/a/x', '/b/z', '/']);
    expect(orderRows(ROWS, { flat: true, sort: 'headroom', top: 3 }).map((r) => r.path)).toEqual(['/a/y', '/a/x', '/b']);
    expect(orderRows(ROWS, { flat: true, sort: 'path' }).map((r) => r.path)).toEqual(['/', '/a', '/a/x', '/a/y', '/b', '/b/z']);
  });
});
