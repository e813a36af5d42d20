/**
 * `footprint watch` alone is a top for memory (issue 22, item 6), on a real
 * terminal (tmux): --sort, --group, -n and --match from the start; keys (sent
 * with tmux send-keys) that change the sort, the grouping and the order; names
 * as wide as the window leaves them; the terminal given back as it was after q,
 * Ctrl-C and SIGTERM; no keys when stdin is not a terminal. Two programs of
 * known memory (copies of test/fixtures/memhog.c under names of their own):
 * the first has the more writable memory, the second the more private.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { memhogBinary } from '../helpers/liveProcesses.js';
import { assertBuilt, FOOTPRINT_HOME } from '../helpers/runFootprint.js';
import { until } from '../helpers/until.js';
import { tempDir } from '../helpers/tempPaths.js';

// Each test waits for its screens (up to two minutes each on a busy machine), never for a time.
jest.setTimeout(300_000);

const BIN = join(FOOTPRINT_HOME, 'bin', 'footprint.js');
const dir = tempDir('footprint-watchtop-');
const socket = join(dir, 'tmux.sock');
// Longer than the 15 characters of a process's comm, and than what 80 columns leave a name beside the figures.
const ALPHA = 'topalpha-a-program-name-of-forty-characters';
const BETA = 'topbeta';
// Bracketed, so that the command lines that carry the pattern (the watch's own, its shell's) do not match it.
const MATCH = '[t]opalpha|[t]opbeta';
const hogs: ChildProcess[] = [];
let alphaPid: number;
let betaPid: number;

/** A copy of memhog named NAME, started with ARGS; resolves with its PID once it says it is ready. */
function startNamedMemhog(name: string, args: string[]): Promise<number> {
  const binary = join(dir, name);
  copyFileSync(memhogBinary(), binary);
  chmodSync(binary, 0o755);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TMPDIR: dir } });
  hogs.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const ready = /^ready (\d+) /m.exec(out);
      if (ready) resolve(Number(ready[1]));
    });
  });
}

beforeAll(async () => {
  assertBuilt();
  chmodSync(dir, 0o755);
  // One session held for the whole file: a tmux server whose last session ends exits.
  expect(spawnSync('tmux', ['-S', socket, 'new-session', '-d', '-s', 'keep', 'sleep 900']).status).toBe(0);
  // alpha: 24 MiB written (writable and private); beta: 8 MiB written and 40 MiB of a clean file mapped (private 48 MiB).
  [alphaPid, betaPid] = await Promise.all([startNamedMemhog(ALPHA, ['-p', '24']), startNamedMemhog(BETA, ['-p', '8', '-f', '40'])]);
  // The script each test runs on the terminal: the watch (its PID in a file), whether the terminal's settings
  // came back as they were, and the exit code.
  writeFileSync(join(dir, 'watch.sh'), [
    'before=$(stty -g)',
    // STDIN_FROM: the watch's stdin (only the watch's: stty reads the terminal's).
    'if [ -n "$STDIN_FROM" ]; then exec 3<"$STDIN_FROM"; else exec 3<&0; fi',
    `sh -c 'echo $$ > "$0"; exec "$@"' "$PIDFILE" ${process.execPath} ${BIN} watch "$@" <&3`,
    'code=$?',
    'if [ "$(stty -g)" = "$before" ]; then echo "terminal restored"; else echo "terminal left changed"; fi',
    'echo "exited $code"',
    'sleep 120',
  ].join('\n'));
}, 60_000);

afterAll(async () => {
  spawnSync('tmux', ['-S', socket, 'kill-server']);
  await Promise.all(hogs.map((hog) => new Promise<void>((resolve) => {
    if (hog.exitCode !== null || hog.signalCode !== null) return resolve();
    hog.once('exit', () => resolve());
    hog.kill('SIGKILL');
  })));
  rmSync(dir, { recursive: true, force: true });
});

let sessions = 0;

/** `footprint watch ARGS` on a terminal of COLUMNS×ROWS (its stdin from STDIN_FROM if given): its pane and its PID. */
async function watchOnTerminal(columns: number, rows: number, args: string[], stdinFrom = '') {
  const session = `top${++sessions}`;
  const pidFile = join(dir, `${session}.pid`);
  const quoted = args.map((arg) => `'${arg}'`).join(' ');
  const command = `PIDFILE=${pidFile} STDIN_FROM=${stdinFrom} sh ${join(dir, 'watch.sh')} ${quoted}`;
  expect(spawnSync('tmux', ['-S', socket, 'new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), command]).status).toBe(0);
  const pane = () => spawnSync('tmux', ['-S', socket, 'capture-pane', '-p', '-J', '-t', session], { encoding: 'utf8' }).stdout.split('\n').filter((line) => line !== '');
  const screen = (what: string, check: (lines: string[]) => boolean) => until(what, () => {
    const lines = pane();
    return check(lines) ? lines : undefined;
  }, 120_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${pane().join('\n')}`);
  });
  const keys = (...sent: string[]) => expect(spawnSync('tmux', ['-S', socket, 'send-keys', '-t', session, ...sent]).status).toBe(0);
  const pid = () => Number(readFileSync(pidFile, 'utf8'));
  const end = () => spawnSync('tmux', ['-S', socket, 'kill-session', '-t', session]);
  return { screen, keys, pid, end };
}

/** The rows of the table (each ends with its count of processes), by what names them: alpha's and beta's, in the screen's order. */
const order = (lines: string[]) => lines.filter((line) => / \(\d+\)$/.test(line))
  // A name shortened in its middle keeps four columns of each end at least: alpha's name starts `topa`, its command line ends `characters -p 24`.
  .flatMap((line) => (/ {2}topa|characters -p 24 /.test(line) ? ['alpha'] : line.includes(BETA) ? ['beta'] : ['other']));
const keysLine = (lines: string[]) => lines.find((line) => line.startsWith('s/S sort: '));
const wider = (lines: string[], columns: number) => lines.filter((line) => [...line.trimEnd()].length > columns);

describe('on a terminal, keys change the view', () => {
  test('s sorts by the next column, r reverses, g groups by the next grouping (command line, then PID), q quits and gives the terminal back', async () => {
    const watch = await watchOnTerminal(120, 40, ['--match', MATCH, '--interval', '10m']);
    try {
      // The interval is far longer than the test: every drawing after the first is a key's.
      let lines = await watch.screen('the first screen', (shown) => keysLine(shown) !== undefined && order(shown).length === 2);
      expect(keysLine(lines)).toBe('s/S sort: writable   g/G group: program   r reverse   q quit');
      expect(order(lines)).toEqual(['alpha', 'beta']);
      // Names as wide as the window allows: the whole name, longer than a comm's 15 characters.
      expect(lines.some((line) => line.endsWith(`${ALPHA} (1)`))).toBe(true);

      watch.keys('s');
      lines = await watch.screen('sorted by private', (shown) => keysLine(shown)?.includes('sort: private ') === true);
      expect(order(lines)).toEqual(['beta', 'alpha']);

      watch.keys('r');
      lines = await watch.screen('reversed', (shown) => keysLine(shown)?.includes('sort: private (reversed)') === true);
      expect(order(lines)).toEqual(['alpha', 'beta']);

      watch.keys('g');
      lines = await watch.screen('grouped by command line', (shown) => keysLine(shown)?.includes('group: cmdline') === true);
      expect(lines).toContainEqual(expect.stringMatching(/^ *Writable +Since start +Private +Shared +RAM used +Command line$/));
      // The command line (80 characters) is longer than the columns 120 leave it: shortened in its middle, its ends kept.
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`  ${dir}/\\S*…\\S*characters -p 24 \\(1\\)$`)));
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`  ${dir}/${BETA} -p 8 -f 40 \\(1\\)$`)));
      expect(wider(lines, 120)).toEqual([]);
      expect(order(lines)).toEqual(['alpha', 'beta']);

      watch.keys('g');
      lines = await watch.screen('grouped by PID', (shown) => keysLine(shown)?.includes('group: pid') === true);
      // One process a row: its OOM score too, as the report shows it.
      expect(lines).toContainEqual(expect.stringMatching(/^ *Writable +Since start +Private +Shared +RAM used +OOM score +Process$/));
      expect(lines.some((line) => line.endsWith(`${ALPHA} [${alphaPid}] (1)`))).toBe(true);
      expect(lines.some((line) => line.endsWith(`${BETA} [${betaPid}] (1)`))).toBe(true);
      expect(wider(lines, 120)).toEqual([]);

      watch.keys('q');
      lines = await watch.screen('the exit', (shown) => shown.some((line) => /^exited \d+$/.test(line)));
      expect(lines.slice(-3)).toEqual(['footprint watch: 1 report, ended by q or a signal', 'terminal restored', 'exited 0']);
    } finally {
      watch.end();
    }
  });

  test.each([
    ['Ctrl-C (a key in raw mode)', 'key'],
    ['SIGTERM', 'signal'],
  ])('%s ends it, the terminal given back', async (_what, how) => {
    const watch = await watchOnTerminal(80, 24, ['--match', MATCH, '--interval', '10m']);
    try {
      await watch.screen('the screen', (shown) => keysLine(shown) !== undefined && order(shown).length === 2);
      if (how === 'key') watch.keys('C-c');
      else process.kill(watch.pid(), 'SIGTERM');
      const lines = await watch.screen('the exit', (shown) => shown.some((line) => /^exited \d+$/.test(line)));
      expect(lines.slice(-3)).toEqual(['footprint watch: 1 report, ended by q or a signal', 'terminal restored', 'exited 0']);
    } finally {
      watch.end();
    }
  });
});

describe('from the start', () => {
  test('--sort, --group, -n: ranked, grouped and cut as asked; at 80 columns the long name shortened in its middle', async () => {
    const watch = await watchOnTerminal(80, 24, ['--match', MATCH, '--interval', '10m', '--sort', 'private', '--group', 'pid', '-n', '1']);
    try {
      const lines = await watch.screen('the screen', (shown) => keysLine(shown) !== undefined && order(shown).length > 0);
      expect(keysLine(lines)).toBe('s/S sort: private   g/G group: pid   r reverse   q quit');
      expect(order(lines)).toEqual(['beta']);
      expect(wider(lines, 80)).toEqual([]);
      watch.keys('r');
      const reversed = await watch.screen('reversed', (shown) => keysLine(shown)?.includes('(reversed)') === true);
      expect(order(reversed)).toEqual(['alpha']);
      // The OOM score's column leaves the name the fewest columns: its two ends, with the end of the PID.
      expect(reversed).toContainEqual(expect.stringMatching(new RegExp(`  topa\\S*….*${String(alphaPid).slice(-3)}\\] \\(1\\)$`)));
      expect(wider(reversed, 80)).toEqual([]);
    } finally {
      watch.end();
    }
  });

  test('stdin not a terminal: the screen without keys (no last line of them), Ctrl-C or a signal ends it', async () => {
    const watch = await watchOnTerminal(120, 40, ['--match', MATCH, '--interval', '10m'], '/dev/null');
    try {
      const lines = await watch.screen('the screen', (shown) => order(shown).length === 2);
      expect(lines[0]).toMatch(/^footprint watch, --match '\[t\]opalpha\|\[t\]opbeta': every 10m, \d\d:\d\d:\d\d; Ctrl-C quits$/);
      expect(keysLine(lines)).toBeUndefined();
      process.kill(watch.pid(), 'SIGTERM');
      const after = await watch.screen('the exit', (shown) => shown.some((line) => /^exited \d+$/.test(line)));
      expect(after.slice(-3)).toEqual(['footprint watch: 1 report, ended by a signal', 'terminal restored', 'exited 0']);
    } finally {
      watch.end();
    }
  });

  test('--match on a terminal: a program started after the watch began gets its row at a later scan', async () => {
    const watch = await watchOnTerminal(100, 30, ['--match', '[t]opbeta|[t]opgamma', '--interval', '200ms']);
    try {
      // A screen with beta alone: a scan done before gamma started.
      const before = await watch.screen('a screen of beta alone', (shown) => order(shown).length === 1);
      expect(order(before)).toEqual(['beta']);
      await startNamedMemhog('topgamma', ['-p', '16']);
      // A scan that began before gamma was ready may catch it part way through its 16 MiB: the row is waited for as it reads once ready.
      const lines = await watch.screen('the late program', (shown) => shown.some((line) => /^ *16\.\d MiB +[+-]?\d.* topgamma \(1\)$/.test(line)));
      expect(order(lines)).toEqual(['other', 'beta']);
      expect(lines[0]).toMatch(/^footprint watch, --match '\[t\]opbeta\|\[t\]opgamma': every 200ms/);
      watch.keys('q');
      const after = await watch.screen('the exit', (shown) => shown.some((line) => /^exited \d+$/.test(line)));
      expect(after.slice(-2)).toEqual(['terminal restored', 'exited 0']);
    } finally {
      watch.end();
    }
  });

  test('off a terminal too: --json ranked by --sort and cut by -n; --group, --sort and -n are for the machine alone', () => {
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'watch', ...args], { encoding: 'utf8', timeout: 60_000 });
    const json = run(['--match', MATCH, '--count', '1', '--json', '--sort', 'private']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout).groups.map((group: { name: string }) => group.name)).toEqual([BETA, ALPHA]);
    const top = run(['--match', MATCH, '--count', '1', '--json', '-n', '1', '--group', 'pid']);
    expect(JSON.parse(top.stdout).groups.map((group: { name: string }) => group.name)).toEqual([`${ALPHA} [${alphaPid}]`]);
    expect(run([String(alphaPid), '--sort', 'private', '-n', '2'])).toMatchObject({
      status: 2, stdout: '', stderr: 'footprint: watch: --sort, -n are for the whole machine (watch alone); a PID or --program NAME is one target already\n',
    });
  });
});
