import { diffReports, growthOver, isUnchanged } from '../../src/reduce/diffReports.js';
import { MiB, group, report } from '../helpers/storeFixtures.js';

const older = report('2026-11-24T00:00:00.000Z', [group('db', 100 * MiB, 10 * MiB, 2), group('web', 50 * MiB), group('old', 5 * MiB), group('same', 7 * MiB)]);
const newer = report('2026-11-25T00:00:00.000Z', [group('db', 130 * MiB, 12 * MiB, 3), group('web', 40 * MiB), group('new', 20 * MiB), group('same', 7 * MiB)]);

const figures = (writable: number, shared = 0, count = 1) => ({
  writable: writable * MiB, private: writable * MiB + 4096, shared: shared * MiB, ram: writable * MiB + 4096 + shared * MiB, count,
});

describe('diffReports', () => {
  const diff = diffReports(older, newer);

  test('per group, largest writable growth first; new and gone groups marked, a missing side counting as zero', () => {
    expect(diff.changes.map((change) => [change.name, change.status, change.change.writable / MiB])).toEqual([
      ['db', 'both', 30], ['new', 'new', 20], ['same', 'both', 0], ['old', 'gone', -5], ['web', 'both', -10],
    ]);
    expect(diff.changes[0]).toEqual({
      name: 'db', status: 'both', old: figures(100, 10, 2), new: figures(130, 12, 3),
      change: { writable: 30 * MiB, private: 30 * MiB, shared: 2 * MiB, ram: 32 * MiB, count: 1 },
    });
    expect(diff.changes[1]).toEqual({ name: 'new', status: 'new', old: null, new: figures(20), change: figures(20) });
    expect(diff.changes[3]).toEqual({
      name: 'old', status: 'gone', old: figures(5), new: null,
      change: { writable: -5 * MiB, private: -5 * MiB - 4096, shared: 0, ram: -5 * MiB - 4096, count: -1 },
    });
  });

  test('totals of both sides and their change', () => {
    expect(diff.totals.old).toEqual({ writable: 162 * MiB, private: 162 * MiB + 4 * 4096, shared: 10 * MiB, ram: 172 * MiB + 4 * 4096, count: 5 });
    expect(diff.totals.new).toEqual({ writable: 197 * MiB, private: 197 * MiB + 4 * 4096, shared: 12 * MiB, ram: 209 * MiB + 4 * 4096, count: 6 });
    expect(diff.totals.change).toEqual({ writable: 35 * MiB, private: 35 * MiB, shared: 2 * MiB, ram: 37 * MiB, count: 1 });
  });

  test('equal writable growth is ordered by RAM growth, then name', () => {
    const a = report('2026-11-24T00:00:00.000Z', [group('b', MiB), group('a', MiB), group('c', MiB)]);
    const b = report('2026-11-25T00:00:00.000Z', [group('b', 2 * MiB), group('a', 2 * MiB), group('c', 2 * MiB, MiB)]);
    expect(diffReports(a, b).changes.map((change) => change.name)).toEqual(['c', 'a', 'b']);
  });

  test('two groups of one name in a report are summed', () => {
    const a = report('2026-11-24T00:00:00.000Z', [group('x', MiB), group('x', 2 * MiB)]);
    const b = report('2026-11-25T00:00:00.000Z', [group('x', 3 * MiB)]);
    const [change] = diffReports(a, b).changes;
    expect(change.old!.writable).toBe(3 * MiB);
    expect(change.change.writable).toBe(0);
  });

  test('isUnchanged: only a group in both reports with every figure equal', () => {
    expect(diff.changes.filter(isUnchanged).map((change) => change.name)).toEqual(['same']);
  });

  test('growthOver: groups whose writable grew by more than the limit (a new group grew from nothing)', () => {
    expect(growthOver(diff, 20 * MiB).map((change) => change.name)).toEqual(['db']);
    expect(growthOver(diff, 20 * MiB - 1).map((change) => change.name)).toEqual(['db', 'new']);
    expect(growthOver(diff, 30 * MiB)).toEqual([]);
  });
});
