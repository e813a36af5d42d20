/**
 * Every table and summary fits the terminal a person uses (issue 22), on this
 * machine's real processes, cgroups and saved reports: tmux terminals of 80×24
 * and 120×40, no line wider than the terminal; a bare `footprint -n 10` in at
 * most 23 lines; a 5 MiB process beside a 1 GiB one reads in MiB.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FOOTPRINT_BIN } from '../helpers/runFootprint.js';
import { startMemhog, stopAll, type Memhog } from '../helpers/liveProcesses.js';
import { canMakeMemoryCgroups, childCgroupPath, MEMORY_MOUNT, removeCgroupDir } from '../helpers/memoryCgroups.js';
import { footprintOnTerminal } from '../helpers/terminal.js';
import { tempDir } from '../helpers/tempPaths.js';

const BIN = FOOTPRINT_BIN;
const dir = tempDir('footprint-tables-');
const socket = join(dir, 'tmux.sock');
const reports = join(dir, 'reports');
// A cgroup whose name is far wider than any terminal.
const LONG_CGROUP = childCgroupPath(`footprint-tables-${'x'.repeat(150)}-end`);
// A command line of 400 characters, as a JSON --env argument makes one.
const LONG_ARGUMENT = `--env=${JSON.stringify({ token: 'x'.repeat(300), tail: 'END-OF-ARGUMENT' })}`;
let long: ChildProcess;
let small: Memhog;
let large: Memhog;
let savedOld: string;
let savedNew: string;

beforeAll(async () => {
  expect(spawnSync('tmux', ['-S', socket, 'new-session', '-d', '-s', 'keep', 'sleep 900']).status).toBe(0);
  long = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)', '--', LONG_ARGUMENT], { stdio: 'ignore' });
  await new Promise((resolve) => long.once('spawn', resolve));
  [small, large] = await Promise.all([startMemhog({ privateMiB: 5 }), startMemhog({ privateMiB: 1024 })]);
  if (canMakeMemoryCgroups) mkdirSync(join(MEMORY_MOUNT, LONG_CGROUP));
  // Two saved reports of the whole machine, for diff and history.
  for (let i = 0; i < 2; i++) {
    expect(spawnSync(process.execPath, [BIN, 'save', '--dir', reports], { encoding: 'utf8' }).status).toBe(0);
    // Report names have a resolution of a second: wait until the next one.
    for (const second = Math.floor(Date.now() / 1000); Math.floor(Date.now() / 1000) === second;) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const days = readdirSync(reports).filter((name) => /^\d{4}-\d\d-\d\d$/.test(name));
  const files = days.flatMap((day) => readdirSync(join(reports, day)).filter((name) => name.endsWith('.json.gz')).map((name) => join(reports, day, name)));
  const flat = readdirSync(reports).filter((name) => name.endsWith('.json.gz')).map((name) => join(reports, name));
  [savedOld, savedNew] = [...files, ...flat].sort();
}, 120_000);

afterAll(async () => {
  spawnSync('tmux', ['-S', socket, 'kill-server']);
  if (long.exitCode === null && long.pid !== undefined) process.kill(long.pid, 'SIGKILL');
  await stopAll();
  if (canMakeMemoryCgroups) removeCgroupDir(join(MEMORY_MOUNT, LONG_CGROUP));
  rmSync(dir, { recursive: true, force: true });
});

const onTerminal = (columns: number, rows: number, args: string[]) => footprintOnTerminal(socket, columns, rows, args);

const wider = (lines: string[], columns: number) => lines.filter((line) => [...line.trimEnd()].length > columns);

describe.each([[80, 24], [120, 40]])('a terminal of %d×%d columns: no line wider', (columns, rows) => {
  test.each([
    ['show PID', () => ['show', String(large.pid)]],
    ['show PID --mappings', () => ['show', String(long.pid), '--mappings']],
    ['the report', () => []],
    ['the report --group cmdline', () => ['--group', 'cmdline']],
    ['diff', () => ['diff', savedOld, savedNew, '--all']],
    ['history', () => ['history', '--dir', reports, '--since', '1d']],
    ['cgroups', () => ['cgroups']],
  ])('%s', async (_what, args) => {
    const { code, lines } = await onTerminal(columns, rows, args());
    expect(code).toBe(0);
    expect(lines.length).toBeGreaterThan(2);
    expect(wider(lines, columns)).toEqual([]);
  });

  test('--group cmdline: the long command line shortened in its middle', async () => {
    const { lines } = await onTerminal(columns, rows, ['--group', 'cmdline', '-p', String(long.pid)]);
    const row = lines.find((line) => line.includes(' (1)'))!;
    expect(row).toContain('…');
    expect(row).toMatch(/ARGUMENT"}' \(1\)$/);
  });

  test('cgroups: the long cgroup name shortened in its middle', async () => {
    if (!canMakeMemoryCgroups) return;
    // --all: a terminal shows the largest 20 alone, and this empty cgroup may not be one of them; --depth keeps
    // another test's thousands of deeper cgroups off the screen's history.
    const { lines } = await onTerminal(columns, rows, ['cgroups', '--all', '--depth', String(LONG_CGROUP.split('/').length - 1)]);
    // Cut in its middle: a name with both its ends kept, however narrow the other columns leave it.
    const full = LONG_CGROUP.slice(LONG_CGROUP.lastIndexOf('/') + 1);
    const cut = lines.flatMap((line) => line.trim().split(/\s+/)).filter((token) => token.includes('…')).map((token) => token.split('…'));
    expect(cut.some(([head, tail]) => head.length > 0 && tail.length > 0 && full.startsWith(head) && full.endsWith(tail))).toBe(true);
  });

  test('--wide gives them whole', async () => {
    const { lines } = await onTerminal(columns, rows, ['show', String(long.pid), '--wide', '&&', process.execPath, BIN, '--group', 'cmdline', '-p', String(long.pid), '--wide']);
    expect(lines.join('')).toContain(JSON.stringify({ token: 'x'.repeat(300) }).slice(1, -1));
  });
});

test('a bare `footprint -n 10` fits a 24-line screen: at most 23 lines', async () => {
  const { code, lines } = await onTerminal(80, 24, ['-n', '10']);
  expect(code).toBe(0);
  expect(lines.length).toBeLessThanOrEqual(23);
  expect(lines.some((line) => line.startsWith('System: '))).toBe(true);
});

test('each figure in its own unit: a 5 MiB process beside a 1 GiB one reads in MiB; --units forces one', async () => {
  const pids = `${small.pid},${large.pid}`;
  const { lines } = await onTerminal(120, 40, ['-p', pids, '--group', 'pid']);
  const row = (pid: number) => lines.find((line) => line.includes(`[${pid}]`));
  // memhog -p 5 writes 5 MiB of its own: with its stack and data, a little over.
  expect(row(small.pid)).toMatch(/^\s*5\.\d MiB /);
  expect(row(large.pid)).toMatch(/^\s*1\.0 GiB /);
  const forced = await onTerminal(120, 40, ['-p', pids, '--group', 'pid', '--units', 'GiB']);
  expect(forced.lines.find((line) => line.includes(`[${small.pid}]`))).toMatch(/^\s*<0\.1 GiB /);
});
