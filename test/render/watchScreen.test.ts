/**
 * watch's screen as a top, drawn from the captured tree snapshots/node-many-mappings
 * (grouped by PID, each process with its oom_score): the columns follow the
 * ranking (Swap only when ranked by it, the OOM score when ranked by it or one
 * process a row), the name column's heading follows the grouping, the last line
 * lists the keys with what they do now, and no line is wider than the window.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ProcReader } from '../../src/kernel/procReader.js';
import { scanProcesses } from '../../src/scan/scanProcesses.js';
import { buildReport } from '../../src/reduce/buildReport.js';
import { parseMeminfo } from '../../src/kernel/procfs/meminfo.js';
import { rankGroups } from '../../src/reduce/rankGroups.js';
import { renderWatchKeys, renderWatchScreen } from '../../src/render/watchScreen.js';
import type { GroupBy } from '../../src/model/report.js';
import type { WatchView } from '../../src/reduce/watchKeys.js';

const ROOT = 'snapshots/node-many-mappings/proc';
const meminfo = parseMeminfo(readFileSync(`${ROOT}/meminfo`, 'utf8'));
if (!meminfo.ok) throw new Error('the snapshot has no meminfo');
const scan = scanProcesses(new ProcReader(ROOT), { estimate: false, cgroups: false, oomScores: true });
const groupsBy = (groupBy: GroupBy) => buildReport(scan, { host: 'snap', kernel: '6.x', time: new Date(0), groupBy, meminfo: meminfo.value, userNames: new Map() }).report.groups;

function screen(view: WatchView, columns = 100) {
  const groups = rankGroups(groupsBy(view.group), view.sort, view.reverse);
  const text = renderWatchScreen(groups, new Map(), { units: 'auto', rows: 24, columns, title: 'footprint watch: every 2s', footer: 'Left out: nothing.', view, keys: true });
  const lines = text.trimEnd().split('\n');
  return { lines, heading: lines[1].trim().split(/ {2,}/), rows: lines.slice(3, lines.indexOf('Left out: nothing.')) };
}

describe("watch's screen as a top", () => {
  it('ranked by writable, grouped by program: the usual columns, and the keys saying so', () => {
    const { lines, heading, rows } = screen({ sort: 'writable', reverse: false, group: 'program' });
    expect(heading).toEqual(['Writable', 'Since start', 'Private', 'Shared', 'RAM used', 'Program']);
    expect(lines.at(-1)).toBe('s/S sort: writable   g/G group: program   r reverse   q quit');
    expect(rows.length).toBeGreaterThan(0);
  });

  it('ranked by swap: a Swap column, though it is zero on this capture', () => {
    expect(screen({ sort: 'swap', reverse: false, group: 'program' }).heading).toEqual(['Writable', 'Since start', 'Private', 'Shared', 'RAM used', 'Swap', 'Program']);
  });

  it('one process a row (--group pid): the OOM score, and the heading Process; reversed, the keys say so', () => {
    const { lines, heading } = screen({ sort: 'writable', reverse: true, group: 'pid' });
    expect(heading).toEqual(['Writable', 'Since start', 'Private', 'Shared', 'RAM used', 'OOM score', 'Process']);
    expect(lines.at(-1)).toBe('s/S sort: writable (reversed)   g/G group: pid   r reverse   q quit');
  });

  it('ranked by OOM score: its column, unknown (?) and never 0 where the capture has no oom_score', () => {
    const { heading, rows } = screen({ sort: 'oom', reverse: false, group: 'program' });
    expect(heading).toContain('OOM score');
    const column = heading.indexOf('OOM score');
    expect(rows.map((row) => row.trim().split(/ {2,}/)[column])).toEqual(rows.map(() => '?'));
  });

  it.each([72, 80])('at %d columns no line is wider (command lines shortened in their middle)', (columns) => {
    const { lines } = screen({ sort: 'name', reverse: false, group: 'cmdline' }, columns);
    expect(lines.filter((line) => [...line].length > columns)).toEqual([]);
  });

  it('the keys line alone', () => {
    expect(renderWatchKeys({ sort: 'count', reverse: false, group: 'cgroup' })).toBe('s/S sort: count   g/G group: cgroup   r reverse   q quit');
  });
});
