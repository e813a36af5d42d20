import type { ProgramGroup, Report } from '../model/report.js';
import { DIFFABLE_FIGURES, type DiffableFigure } from '../model/figures.js';

/** The figures a diff compares: the diffable rows of FIGURES, and the process count. */
export const DIFF_FIGURES = [...DIFFABLE_FIGURES, 'count'] as readonly (DiffableFigure | 'count')[];
export type DiffFigure = DiffableFigure | 'count';
export type DiffFigures = Record<DiffFigure, number>;

export interface GroupChange {
  name: string;
  /** `new`: only in the newer report; `gone`: only in the older one. */
  status: 'new' | 'gone' | 'both';
  old: DiffFigures | null;
  new: DiffFigures | null;
  /** new - old, a missing side counting as zero. */
  change: DiffFigures;
}

export interface ReportDiff {
  /** Largest writable growth first. */
  changes: GroupChange[];
  totals: { old: DiffFigures; new: DiffFigures; change: DiffFigures };
}

function figuresOf(groups: readonly ProgramGroup[]): Map<string, DiffFigures> {
  const byName = new Map<string, DiffFigures>();
  for (const group of groups) {
    // Names are unique within a report; should two ever collide, their sum is the honest figure.
    const figures = byName.get(group.name) ?? zero();
    for (const figure of DIFF_FIGURES) figures[figure] += group[figure];
    byName.set(group.name, figures);
  }
  return byName;
}

function zero(): DiffFigures {
  return Object.fromEntries(DIFF_FIGURES.map((figure) => [figure, 0])) as DiffFigures;
}

function subtract(newer: DiffFigures | null, older: DiffFigures | null): DiffFigures {
  const change = zero();
  for (const figure of DIFF_FIGURES) change[figure] = (newer?.[figure] ?? 0) - (older?.[figure] ?? 0);
  return change;
}

function sum(all: Iterable<DiffFigures>): DiffFigures {
  const total = zero();
  for (const figures of all) for (const figure of DIFF_FIGURES) total[figure] += figures[figure];
  return total;
}

/** Per group, how the figures moved from `older` to `newer`. Both must be grouped the same way (the caller checks). */
export function diffReports(older: Report, newer: Report): ReportDiff {
  const before = figuresOf(older.groups);
  const after = figuresOf(newer.groups);
  const changes: GroupChange[] = [];
  for (const [name, figures] of after) {
    const previous = before.get(name) ?? null;
    changes.push({ name, status: previous ? 'both' : 'new', old: previous, new: figures, change: subtract(figures, previous) });
  }
  for (const [name, figures] of before) {
    if (!after.has(name)) changes.push({ name, status: 'gone', old: figures, new: null, change: subtract(null, figures) });
  }
  changes.sort((a, b) =>
    b.change.writable - a.change.writable || b.change.ram - a.change.ram || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const oldTotal = sum(before.values());
  const newTotal = sum(after.values());
  return { changes, totals: { old: oldTotal, new: newTotal, change: subtract(newTotal, oldTotal) } };
}

export function isUnchanged(change: GroupChange): boolean {
  return change.status === 'both' && DIFF_FIGURES.every((figure) => change.change[figure] === 0);
}

/** The groups whose writable memory grew by more than `limit` bytes (a new group grew from nothing). */
export function growthOver(diff: ReportDiff, limit: number): GroupChange[] {
  return diff.changes.filter((change) => change.change.writable > limit);
}
