/**
 * diff's table on a terminal: a group that only one report has is marked
 * "(new)" or "(gone)" after its name, and the mark counts in the name's width,
 * so that no row is wider than the terminal however wide the figures are.
 * The reports are the captured tree snapshots/node-many-mappings, the newer
 * one with its groups grown by hundreds of MiB and a group with a long name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ProcReader } from '../../src/kernel/procReader.js';
import { scanProcesses } from '../../src/scan/scanProcesses.js';
import { buildReport } from '../../src/reduce/buildReport.js';
import { parseMeminfo } from '../../src/kernel/procfs/meminfo.js';
import { diffReports } from '../../src/reduce/diffReports.js';
import { renderDiffTable } from '../../src/render/diffTable.js';
import type { ProgramGroup } from '../../src/model/report.js';

const MIB = 1024 * 1024;
const ROOT = 'snapshots/node-many-mappings/proc';
const meminfo = parseMeminfo(readFileSync(`${ROOT}/meminfo`, 'utf8'));
if (!meminfo.ok) throw new Error('the snapshot has no meminfo');
const { report } = buildReport(scanProcesses(new ProcReader(ROOT), { estimate: false, cgroups: false }), {
  host: 'snap', kernel: '6.x', time: new Date(0), groupBy: 'program', meminfo: meminfo.value, userNames: new Map(),
});
const grown = (group: ProgramGroup, by: number): ProgramGroup => ({
  ...group, writable: group.writable + by, private: group.private + by, shared: group.shared + 1007 * 1024, ram: group.ram + by + 1007 * 1024,
});
const [first, second] = report.groups;
const older = { ...report, groups: [first] };
const newer = { ...report, groups: [grown(first, 331 * MIB), { ...grown(second, 9 * MIB), name: `node ${'very-long-script-name-'.repeat(4)}.js` }] };
const diff = diffReports(older, newer);

describe('diff on a terminal', () => {
  it.each([80, 100])('at %d columns no row is wider, and the new group keeps its mark', (width) => {
    const lines = renderDiffTable(diff, { groupBy: 'program', units: 'auto', fancy: false, all: true, width }).trimEnd().split('\n');
    expect(lines.filter((line) => [...line].length > width)).toEqual([]);
    expect(lines.some((line) => /^no.* \(new\) +\+/.test(line))).toBe(true);
  });

  it('without a width (a pipe, --wide) the name is whole', () => {
    const text = renderDiffTable(diff, { groupBy: 'program', units: 'auto', fancy: false, all: true });
    expect(text).toContain(`node ${'very-long-script-name-'.repeat(4)}.js (new)`);
  });
});
