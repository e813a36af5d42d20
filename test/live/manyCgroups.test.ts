/**
 * `footprint cgroups` with 5,000 real cgroups (issue 22 item 5): a terminal of
 * 80×24 shows the largest 20 and a line saying how many more there are; a
 * pipe, --all and -n give more; the table is drawn in time proportional to its
 * rows (5,000 in at most 1 s of CPU). The cgroups are this test's own children
 * of its memory cgroup, removed also when a test fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { footprint, FOOTPRINT_BIN } from '../helpers/runFootprint.js';
import { canMakeMemoryCgroups, childCgroupPath, MEMORY_MOUNT, removeCgroupDir } from '../helpers/memoryCgroups.js';
import { renderCgroupTable } from '../../src/render/renderCgroupTable.js';
import { orderRows } from '../../src/cgroups/core/orderRows.js';
import type { CgroupRow } from '../../src/cgroups/core/model.js';
import { footprintOnTerminal } from '../helpers/terminal.js';
import { tempDir } from '../helpers/tempPaths.js';

const BIN = FOOTPRINT_BIN;
const COUNT = 5000;
const TOP = childCgroupPath(`footprint-many-${process.pid}`);
const TOP_DIR = join(MEMORY_MOUNT, TOP);
const names = Array.from({ length: COUNT }, (_, i) => `many-${String(i).padStart(4, '0')}`);
const dir = tempDir('footprint-many-');
const socket = join(dir, 'tmux.sock');
const made: string[] = [];

beforeAll(() => {
  if (!canMakeMemoryCgroups) return;
  mkdirSync(TOP_DIR);
  made.push(TOP_DIR);
  for (const name of names) {
    mkdirSync(join(TOP_DIR, name));
    made.push(join(TOP_DIR, name));
  }
  expect(spawnSync('tmux', ['-S', socket, 'new-session', '-d', '-s', 'keep', 'sleep 900']).status).toBe(0);
}, 120_000);

afterAll(() => {
  spawnSync('tmux', ['-S', socket, 'kill-server']);
  // Children before their parent; each removed even when another fails.
  const failures: unknown[] = [];
  for (const path of made.reverse()) {
    try {
      removeCgroupDir(path);
    } catch (error) {
      failures.push(error);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  if (failures.length > 0) throw failures[0];
}, 120_000);

const onTerminal = (columns: number, rows: number, args: string[]) => footprintOnTerminal(socket, columns, rows, args);

/** The table's rows on a screen: the lines after its heading, up to the first line that is not a row. */
function tableRows(lines: string[]): string[] {
  const heading = lines.findIndex((line) => line.startsWith('CGROUP'));
  expect(heading).toBeGreaterThanOrEqual(0);
  const after = lines.slice(heading + 1);
  const end = after.findIndex((line) => line.startsWith('(') || line.startsWith('…') || line.startsWith('CHARGE:'));
  return after.slice(0, end);
}

const MORE = /^… ([\d,]+) more cgroups: --all or -n N shows them\.$/m;
const moreOf = (text: string) => Number(MORE.exec(text)?.[1].replace(/,/g, '') ?? Number.NaN);

(canMakeMemoryCgroups ? describe : describe.skip)(`cgroups with ${COUNT} cgroups of the test's own`, () => {
  test('a terminal of 80×24 shows the largest 20 and how many more there are; --flat -n 30 shows 30', async () => {
    const { code, lines } = await onTerminal(80, 24, ['cgroups']);
    expect(code).toBe(0);
    expect(tableRows(lines)).toHaveLength(20);
    expect(lines.every((line) => [...line.trimEnd()].length <= 80)).toBe(true);
    // Every cgroup of the machine is one of the 20 or in the count: ours alone are 5,001.
    expect(moreOf(lines.join('\n')) + 20).toBeGreaterThanOrEqual(COUNT + 1);

    const thirty = await onTerminal(80, 24, ['cgroups', '--flat', '-n', '30']);
    expect(thirty.code).toBe(0);
    expect(tableRows(thirty.lines)).toHaveLength(30);
    expect(moreOf(thirty.lines.join('\n')) + 30).toBeGreaterThanOrEqual(COUNT + 1);
  }, 240_000);

  test('a pipe gets every cgroup, with --all too; -n N gives N and the count of the rest', () => {
    for (const args of [['cgroups', '--flat'], ['cgroups', '--flat', '--all']]) {
      const result = footprint(args);
      expect(result.status).toBe(0);
      const paths = new Set(result.stdout.split('\n').map((line) => line.split(/\s+/)[0]));
      expect(names.filter((name) => !paths.has(`${TOP}/${name}`))).toEqual([]);
      expect(result.stdout).not.toMatch(MORE);
    }
    const ten = footprint(['cgroups', '--flat', '--sort', 'path', '-n', '10']);
    expect(ten.status).toBe(0);
    expect(moreOf(ten.stdout) + 10).toBeGreaterThanOrEqual(COUNT + 1);
    const both = footprint(['cgroups', '--all', '-n', '10']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--all and -n cannot be used together/);
  }, 240_000);

  test('5,000 rows are ordered and drawn at 80 columns in at most 1 s of CPU; the whole command is measured too', () => {
    const json = footprint(['cgroups', '--json']);
    expect(json.status).toBe(0);
    const rows = (JSON.parse(json.stdout) as { cgroups: CgroupRow[] }).cgroups;
    expect(rows.length).toBeGreaterThan(COUNT);
    const before = process.cpuUsage();
    const tree = renderCgroupTable(orderRows(rows, { flat: false, sort: 'charge' }), { fancy: true, tree: true, width: 80 });
    const flat = renderCgroupTable(orderRows(rows, { flat: true, sort: 'path' }), { fancy: false, tree: false, width: 80 });
    const used = process.cpuUsage(before);
    const seconds = (used.user + used.system) / 1e6;
    process.stdout.write(`cgroups: ${rows.length} rows ordered and drawn twice at 80 columns in ${seconds.toFixed(3)} s of CPU\n`);
    expect(tree.split('\n').length).toBeGreaterThan(COUNT);
    expect(flat.split('\n').length).toBeGreaterThan(COUNT);
    expect(seconds).toBeLessThanOrEqual(1);

    // The whole command (reading 5,000 cgroups' files and every process, then drawing): a generous bound, the figure reported.
    const timeFile = join(dir, 'time');
    const timed = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%U %S', process.execPath, BIN, 'cgroups', '--all'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(timed.status).toBe(0);
    const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    process.stdout.write(`cgroups --all: ${user} s user + ${system} s system CPU for ${rows.length} cgroups\n`);
    expect(user + system).toBeLessThanOrEqual(20);
  }, 240_000);
});
