/**
 * On a terminal nothing wraps (tmux, 80×24 and 120×40): rows fitted to the
 * width with long names shortened in the middle, the lines under the table
 * wrapped at words; --wide and a pipe give them whole.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { FOOTPRINT_BIN } from '../helpers/runFootprint.js';
import { tempDir } from '../helpers/tempPaths.js';

const BIN = FOOTPRINT_BIN;
const dir = tempDir('footprint-width-');
const socket = join(dir, 'tmux.sock');
// A process with a command line of 400 characters, as a JSON --env argument makes one.
const LONG_ARGUMENT = `--env=${JSON.stringify({ token: 'x'.repeat(300), region: 'eu-west-1', tail: 'END-OF-ARGUMENT' })}`;
let long: ChildProcess;

beforeAll(async () => {
  // One session held for the whole file: a tmux server whose last session ends exits, and a
  // new session started meanwhile on the same socket can fail; with this one it never ends.
  expect(spawnSync('tmux', ['-S', socket, 'new-session', '-d', '-s', 'keep', 'sleep 600']).status).toBe(0);
  long = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)', '--', LONG_ARGUMENT], { stdio: 'ignore' });
  await new Promise((resolve) => long.once('spawn', resolve));
});

afterAll(() => {
  spawnSync('tmux', ['-S', socket, 'kill-server']);
  if (long.exitCode === null && long.pid !== undefined) process.kill(long.pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** footprint ARGS on a tmux terminal of COLUMNS×ROWS; the screen as lines, wrapped ones joined (-J). */
let sessions = 0;
async function onTerminal(columns: number, rows: number, args: string[]): Promise<string[]> {
  const session = `w${columns}-${++sessions}`;
  const command = `${process.execPath} ${BIN} ${args.join(' ')}; echo "exited $?"; sleep 60`;
  expect(spawnSync('tmux', ['-S', socket, 'new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), command]).status).toBe(0);
  try {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      const screen = spawnSync('tmux', ['-S', socket, 'capture-pane', '-p', '-J', '-S', '-', '-t', session], { encoding: 'utf8' }).stdout;
      if (/^exited \d+$/m.test(screen)) return screen.split('\n').filter((line) => !/^exited \d+$/.test(line));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('footprint did not finish on the terminal');
  } finally {
    spawnSync('tmux', ['-S', socket, 'kill-session', '-t', session]);
  }
}

describe.each([[80, 24], [120, 40]])('a terminal of %d columns', (columns, rows) => {
  test('--group cmdline: the long command line shortened in its middle, no row wider than the terminal', async () => {
    const lines = await onTerminal(columns, rows, ['--group', 'cmdline', '-p', String(long.pid)]);
    const row = lines.find((line) => line.includes(' (1)'))!;
    expect(row).toContain('…');
    expect(row).toMatch(/ARGUMENT"}' \(1\)( │)?$/);
    expect(lines.filter((line) => [...line.trimEnd()].length > columns)).toEqual([]);
  });

  test('the whole machine: no line of table, Left out or System wider than the terminal', async () => {
    const lines = await onTerminal(columns, rows, []);
    expect(lines.some((line) => line.startsWith('Left out:'))).toBe(true);
    expect(lines.some((line) => line.startsWith('System:'))).toBe(true);
    expect(lines.filter((line) => [...line.trimEnd()].length > columns)).toEqual([]);
  });

  test('--wide gives the row whole', async () => {
    const lines = await onTerminal(columns, rows, ['--group', 'cmdline', '-p', String(long.pid), '--wide']);
    expect(lines.join('')).toContain(JSON.stringify({ token: 'x'.repeat(300) }).slice(1, -1));
  });
});

test('in a pipe the row is whole, as before', () => {
  const result = spawnSync(process.execPath, [BIN, '--group', 'cmdline', '-p', String(long.pid)], { encoding: 'utf8' });
  expect(result.stdout).toContain("'--env={\"token\":\"" + 'x'.repeat(300));
});

describe('watch on a terminal', () => {
  test('laid out for the window (80×24: nothing wraps, nothing scrolls), and drawn again at once when it is resized', async () => {
    const tmux = (...args: string[]) => spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
    const pane = () => tmux('capture-pane', '-p', '-J', '-t', 'watch').stdout.split('\n').filter((line) => line !== '');
    const until = async (what: string, check: (lines: string[]) => boolean) => {
      for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
        const lines = pane();
        if (check(lines)) return lines;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`tmux pane never showed ${what}:\n${pane().join('\n')}`);
    };
    // An interval far longer than the test: any second drawing is the resize's.
    expect(tmux('new-session', '-d', '-s', 'watch', '-x', '80', '-y', '24', `${process.execPath} ${BIN} watch --interval 10m; sleep 60`).status).toBe(0);
    try {
      const small = await until('the watch screen', (lines) => lines.some((line) => line.startsWith('Left out') || line.startsWith('Nothing left out')));
      expect(small[0]).toMatch(/^footprint watch: every 10m, \d\d:\d\d:\d\d; q or Ctrl-C quits$/);
      expect(small.filter((line) => [...line.trimEnd()].length > 80)).toEqual([]);
      expect(small.length).toBeLessThanOrEqual(23);
      const footerAt80 = small.findIndex((line) => /^(Left out|Nothing left out)/.test(line));
      expect(small.length - footerAt80).toBeGreaterThan(1); // the footer wraps at 80 columns
      expect(tmux('resize-window', '-t', 'watch', '-x', '160', '-y', '40').status).toBe(0);
      const large = await until('the screen drawn for 160 columns', (lines) => lines.some((line) => /^(Left out|Nothing left out)/.test(line) && line.length > 80));
      expect(large.filter((line) => [...line.trimEnd()].length > 160)).toEqual([]);
      expect(large[0]).toBe(small[0]); // the same scan, drawn again: the interval has not passed
    } finally {
      tmux('kill-session', '-t', 'watch');
    }
  });
});

describe('a command that writes a file says where, at a terminal only', () => {
  test('export --textfile, run --html and save name what they wrote; in a pipe they say nothing', async () => {
    const out = join(dir, 'written');
    spawnSync('mkdir', ['-p', out]);
    const lines = await onTerminal(160, 24, [
      'export', '--textfile', join(out, 'f.prom'), '&&', process.execPath, BIN, 'run', '--html', join(out, 'r.html'), '--', 'true',
      '&&', process.execPath, BIN, 'save', '--dir', join(out, 'reports'), '-p', '1',
    ]);
    expect(lines).toContain(`footprint: wrote ${join(out, 'f.prom')}`);
    expect(lines).toContain(`footprint: wrote ${join(out, 'r.html')}`);
    expect(lines.filter((line) => line.startsWith('footprint: saved'))).toEqual([expect.stringMatching(new RegExp(`^footprint: saved ${join(out, 'reports')}/\\d{4}-\\d\\d-\\d\\dT\\d{6}Z\\.json\\.gz$`))]);
    const piped = spawnSync(process.execPath, [BIN, 'export', '--textfile', join(out, 'g.prom')], { encoding: 'utf8' });
    expect([piped.status, piped.stdout, piped.stderr]).toEqual([0, '', '']);
  });
});
