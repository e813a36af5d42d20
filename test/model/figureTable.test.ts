/**
 * One table of figures (src/model/figures.ts): a row added to it — here
 * `anonymous`, the Anonymous line of smaps_rollup, with its computation — shows
 * in the report's table, its CSV, its JSON, its metrics and its diff, with no
 * other change. The table is replaced for this file only (jest's ESM module
 * mock), before anything that reads it is loaded; the figures come from the
 * captured tree snapshots/node-many-mappings.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, jest } from '@jest/globals';
import type { FigureSpec } from '../../src/model/figures.js';
import type { MemoryCounters } from '../../src/kernel/procfs/memoryCounters.js';

const KIB = 1024;
// Anonymous: in the two rollups of the tree (hand-read): node 11163 6328 kB, python 11165 3800 kB.
const NODE_ANON = 6328 * KIB;
const PYTHON_ANON = 3800 * KIB;

const real = await import('../../src/model/figures.js');
const ANONYMOUS = {
  key: 'anonymous', label: 'Anon', sortable: true, diffable: true, size: true, inTotals: true,
  metric: { name: 'footprint_anonymous_bytes', help: 'Anonymous memory: the Anonymous line of smaps_rollup, summed over the group' },
  of: (c: MemoryCounters) => c.anonymous,
} as const satisfies FigureSpec;
const FIGURES = [...real.FIGURES, ANONYMOUS];
jest.unstable_mockModule('../../src/model/figures.js', () => ({
  ...real,
  FIGURES,
  FIGURE_SPECS: FIGURES,
  FIGURE_KEYS: FIGURES.map((figure) => figure.key),
  SORTABLE_FIGURES: FIGURES.filter((figure) => figure.sortable).map((figure) => figure.key),
  DIFFABLE_FIGURES: FIGURES.filter((figure) => figure.diffable).map((figure) => figure.key),
  figureSpec: (key: string) => FIGURES.find((figure) => figure.key === key),
}));

const { ProcReader } = await import('../../src/kernel/procReader.js');
const { scanProcesses } = await import('../../src/scan/scanProcesses.js');
const { buildReport } = await import('../../src/reduce/buildReport.js');
const { parseMeminfo } = await import('../../src/kernel/procfs/meminfo.js');
const { renderReportTable } = await import('../../src/render/reportTable.js');
const { renderReportCsv } = await import('../../src/render/reportCsv.js');
const { reportMetrics } = await import('../../src/reduce/reportMetrics.js');
const { renderPrometheusText } = await import('../../src/render/prometheusText.js');
const { diffReports } = await import('../../src/reduce/diffReports.js');
const { renderDiffTable } = await import('../../src/render/diffTable.js');
const { rankGroups } = await import('../../src/reduce/rankGroups.js');

const ROOT = 'snapshots/node-many-mappings/proc';
const meminfo = parseMeminfo(readFileSync(`${ROOT}/meminfo`, 'utf8'));
if (!meminfo.ok) throw new Error('the snapshot has no meminfo');
const scan = scanProcesses(new ProcReader(ROOT), { estimate: false, cgroups: false });
const view = buildReport(scan, { host: 'snap', kernel: '6.x', time: new Date(0), groupBy: 'program', meminfo: meminfo.value, userNames: new Map() });
const groups = view.report.groups as unknown as Record<string, number | string>[];
const byName = (name: string) => groups.find((group) => group.name === name)!;

describe('a figure added to the table', () => {
  it('JSON: each group and the totals carry it, computed from the counters', () => {
    expect(byName('node').anonymous).toBe(NODE_ANON);
    expect(byName('python3.11 shm_kinds.py').anonymous).toBe(PYTHON_ANON);
    expect((view.report.totals as unknown as Record<string, number>).anonymous).toBe(NODE_ANON + PYTHON_ANON);
  });

  it('the text table: a column under its label, in one unit', () => {
    const lines = renderReportTable(view, { units: 'auto', fancy: false, groups: view.report.groups }).split('\n');
    expect(lines[0].split(/\s{2,}/).map((cell) => cell.trim())).toEqual(['Writable', 'Private', 'Shared', 'RAM used', 'Anon', 'Program']);
    expect(lines[1]).toMatch(/ 6\.2 MiB  node \(1\)$/);
    expect(lines[2]).toMatch(/ 3\.7 MiB  python3\.11 shm_kinds\.py \(1\)$/);
    expect(lines[4]).toMatch(/ 9\.9 MiB  total \(2 processes\)$/);
  });

  it('CSV: a column of bytes', () => {
    const [header, ...rows] = renderReportCsv(view.report.groups).trimEnd().split('\n');
    const column = header.split(',').indexOf('anonymous');
    expect(column).toBeGreaterThan(0);
    expect(rows.map((row) => Number(row.split(',')[column]))).toEqual([NODE_ANON, PYTHON_ANON]);
  });

  it('metrics: a family of its own, and it is a --sort key', () => {
    const text = renderPrometheusText(reportMetrics(view, { top: 10, version: 'test' }));
    expect(text).toContain('# HELP footprint_anonymous_bytes Anonymous memory: the Anonymous line of smaps_rollup, summed over the group\n# TYPE footprint_anonymous_bytes gauge\n');
    expect(text).toContain(`footprint_anonymous_bytes{program="node"} ${NODE_ANON}\n`);
    expect(rankGroups(view.report.groups, 'anonymous' as Parameters<typeof rankGroups>[1]).map((group) => group.name)).toEqual(['node', 'python3.11 shm_kinds.py']);
  });

  it('diff: its change, under its label', () => {
    const older = { ...view.report, groups: view.report.groups.map((group) => ({ ...group, anonymous: (group as unknown as Record<string, number>).anonymous - KIB * 100 })) };
    const diff = diffReports(older, view.report);
    expect(diff.changes.map((change) => (change.change as unknown as Record<string, number>).anonymous)).toEqual([100 * KIB, 100 * KIB]);
    const lines = renderDiffTable(diff, { groupBy: 'program', units: 'KiB', fancy: false, all: true }).split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual(['Program', 'Writable', 'Private', 'Shared', 'RAM used', 'Anon', 'Procs', 'Now']);
    expect(lines[2]).toMatch(/^node .* \+100 KiB +0 +6328 KiB$/);
  });
});
