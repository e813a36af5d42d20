/**
 * Live: `footprint watch` of programs of scripted memory (test/fixtures/memscript.c):
 * its lines, its verdicts (growing, a sawtooth, a step), the end of a watched
 * process, another user's process, --program across a restart, and the whole
 * machine off a terminal and, through tmux, on one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { AS_NOBODY, fixtureBinary, stopChildren } from '../helpers/liveProcesses.js';
import { readRollup } from '../helpers/procRead.js';
import { assertBuilt, FOOTPRINT_HOME, homeForNobody, removeNobodyCopy, FOOTPRINT_BIN } from '../helpers/runFootprint.js';
import { tempDir } from '../helpers/tempPaths.js';

const MiB = 1024 * 1024;
const BIN = FOOTPRINT_BIN;
let memscript: string;
let dir: string;
const started: ChildProcess[] = [];

beforeAll(() => {
  assertBuilt();
  memscript = fixtureBinary('memscript');
  dir = tempDir('footprint-watch-');
  chmodSync(dir, 0o755);
});

afterEach(async () => {
  // Every process a test started is ended by its PID.
  await stopChildren(started, 'SIGKILL');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeNobodyCopy();
});

/** Starts a memscript (or a copy of it) and resolves with its PID once its opening reports are out. */
function startScript(steps: string[], binary = memscript, prefix: string[] = []): Promise<{ pid: number; child: ChildProcess }> {
  const command = [...prefix, binary, ...steps];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    // Only this listener comes off again: removing all of a child's 'exit' listeners, then calling
    // spawnSync, was seen to leave a later exit of the child unreported (Node 20).
    const early = (code: number | null) => reject(new Error(`memscript exited (${code}) before it was ready`));
    child.once('exit', early);
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const reports = [...out.matchAll(/^report (\d+) \d+$/gm)];
      if (reports.length >= 2) {
        child.off('exit', early);
        resolve({ pid: Number(reports[0][1]), child });
      }
    });
  });
}

function watch(args: string[], prefix: string[] = [], home = FOOTPRINT_HOME) {
  const command = [...prefix, process.execPath, join(home, 'bin', 'footprint.js'), 'watch', ...args];
  return spawnSync(command[0], command.slice(1), { encoding: 'utf8', timeout: 60_000, cwd: '/' });
}

function jsonLines(stdout: string): Record<string, any>[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line));
}

describe('footprint watch PID', () => {
  test('a line per sample, the change since the last and since the start, then a summary', async () => {
    const { pid } = await startScript(['g400,1,50']);
    const result = watch([String(pid), '--interval', '50ms', '--count', '5']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Watching PID ${pid} (memscript) every 50 ms; Ctrl-C ends it with a summary`);
    expect(lines[1].split(/\s+/)).toEqual(['Time', 'Writable', 'Change', 'Since', 'start', 'Rate', 'Processes']);
    expect(lines.slice(2, 7)).toHaveLength(5);
    // 50 ms apart: each line's time to the hundredth of a second, so that no two read the same.
    for (const line of lines.slice(2, 7)) expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d\d +\d+\.\d MiB +[+-]?\d+(\.\d)? (B|KiB|MiB) +[+-]?\d+(\.\d)? (B|KiB|MiB) .* 1$/);
    const times = lines.slice(2, 7).map((line) => line.slice(0, 11));
    expect(new Set(times).size).toBe(5);
    // The first line has no rate yet (nothing to take it over); the next ones have one.
    expect(lines[2]).toMatch(/ (B|KiB|MiB) {18}1$/);
    for (const line of lines.slice(3, 7)) expect(line).toMatch(/ [+-]?\d+(\.\d)? (B|KiB|MiB|GiB)\/h  1$/);
    expect(lines[7]).toMatch(new RegExp(`^Watched PID ${pid} \\(memscript\\) for (?:\\d+ ms|\\d+\\.\\d\\d s), 5 samples; ended after --count samples$`));
    expect(lines[9]).toBe('  Trend: too-short (fewer than 20 samples to judge by)');
  });

  test('--json: a footprint.watch/1 object per sample, the summary last; the samples are what the kernel says', async () => {
    const { pid } = await startScript(['w16', 'r', 's60000']);
    const lines = jsonLines(watch([String(pid), '--interval', '20ms', '--count', '3', '--json']).stdout);
    expect(lines.map((line) => [line.schema, line.type])).toEqual([
      ['footprint.watch/1', 'sample'], ['footprint.watch/1', 'sample'], ['footprint.watch/1', 'sample'], ['footprint.watch/1', 'summary'],
    ]);
    const writable = readRollup(pid).Private_Dirty;
    for (const sample of lines.slice(0, 3)) expect(sample).toMatchObject({ writable, processes: 1, swap: 0 });
    expect(Object.keys(lines[0]).sort()).toEqual(['ms', 'private', 'processes', 'ram', 'schema', 'shared', 'swap', 'time', 'type', 'writable']);
    expect(lines[3]).toMatchObject({ target: { pid }, endedBy: 'count', samples: 3, first: { writable }, last: { writable }, restarts: 0 });
    expect(lines[3].trend.verdict).toBe('too-short');
  });

  test.each([
    ['steady growth: growing, and --fail-on-leak exits 3', ['g2000,1,25'], 'growing', 3],
    ["a sawtooth (memory written and freed again and again): steady", ['t2000,8,40'], 'steady', 0],
    ['a one-off step: steady', ['w16', 's700', 'w32', 's60000'], 'steady', 0],
  ])('%s', async (_what, steps, verdict, status) => {
    const { pid } = await startScript(steps);
    const result = watch([String(pid), '--interval', '50ms', '--count', '30', '--json', '--fail-on-leak']);
    expect(result.status).toBe(status);
    const summary = jsonLines(result.stdout).at(-1)!;
    expect([summary.type, summary.samples, summary.trend.verdict]).toEqual(['summary', 30, verdict]);
    if (verdict === 'growing') {
      // 1 MiB per 25 ms of sleep is at most 144 GiB an hour; the kernel's own work makes it a little less.
      expect(summary.trend.bytesPerHour).toBeGreaterThan(0);
      expect(summary.trend.bytesPerHour).toBeLessThanOrEqual(144 * 1024 * MiB);
      expect(summary.memAvailableLastsHours).toBeGreaterThan(0);
    }
  });

  test('a watched process that exits ends the watch, which says so, exit 0', async () => {
    const { pid } = await startScript(['s60000']);
    const watching = spawn(process.execPath, [BIN, 'watch', String(pid), '--interval', '50ms'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    started.push(watching);
    let stdout = '';
    let stderr = '';
    watching.stderr!.on('data', (chunk) => { stderr += chunk; });
    const closed = new Promise<number | null>((resolve) => watching.once('close', (code) => resolve(code)));
    // The process ends once the watch has shown a sample of it, however long footprint took to start
    // (a fixed lifetime raced its start: on a busy machine the process was gone before the watch began).
    const sampled = new Promise<boolean>((resolve) => {
      watching.stdout!.on('data', (chunk) => {
        stdout += chunk;
        if (/^\d\d:\d\d:\d\d\.\d\d /m.test(stdout)) resolve(true);
      });
      void closed.then(() => resolve(false));
    });
    expect([await sampled, stderr]).toEqual([true, '']);
    process.kill(pid, 'SIGKILL');
    expect([await closed, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(new RegExp(`\\nWatched PID ${pid} \\(memscript\\) for .*; ended because the process exited\\n`));
  });

  test('a PID that is not there, or not a PID: one line', () => {
    expect(watch(['999999999'])).toMatchObject({ status: 1, stdout: '', stderr: 'footprint: cannot watch PID 999999999: no such process\n' });
    expect(watch(['12x'])).toMatchObject({ status: 2, stderr: 'footprint: watch: "12x" is not a PID\n' });
    expect(watch(['1', '--program', 'x'])).toMatchObject({ status: 2, stderr: 'footprint: watch: a PID or --program NAME, not both\n' });
    expect(watch(['1', '--interval', 'often'])).toMatchObject({ status: 2, stderr: 'footprint: --interval: "often" is not a duration (examples: 100ms, 2s, 5m, 1h)\n' });
  });

  test("as nobody, another user's process: the same line as show's", async () => {
    const { pid } = await startScript(['s60000']);
    const home = homeForNobody();
    const result = watch([String(pid)], AS_NOBODY, home);
    const show = spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), process.execPath, join(home, 'bin', 'footprint.js'), 'show', String(pid)], { encoding: 'utf8', cwd: '/' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`footprint: cannot watch PID ${pid}: not permitted (another user's process; run as root)\n`);
    expect(show.stderr).toBe(result.stderr.replace('cannot watch', 'cannot show'));
  });
});

describe('footprint watch --program', () => {
  test('a program that is not running: one line, exit 1, after the first scan; --wait waits for it', () => {
    expect(watch(['--program', 'footprint-no-such-program', '--interval', '50ms'])).toMatchObject({
      status: 1, stdout: '',
      stderr: 'footprint: watch: no process of program "footprint-no-such-program" is running (footprint\'s report names programs; --wait waits for one)\n',
    });
    const waiting = watch(['--program', 'footprint-no-such-program', '--wait', '--interval', '50ms', '--count', '2', '--json']);
    expect(waiting.status).toBe(0);
    expect(jsonLines(waiting.stdout).map((line) => [line.type, line.processes ?? line.samples])).toEqual([['sample', 0], ['sample', 0], ['summary', 2]]);
  });

  test('follows the program across a restart, which is not growth', async () => {
    const leaky = join(dir, 'leaky');
    copyFileSync(memscript, leaky);
    chmodSync(leaky, 0o755);
    const first = await startScript(['w8', 's60000'], leaky);
    const child = spawn(process.execPath, [BIN, 'watch', '--program', 'leaky', '--interval', '50ms', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    const ended = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    let out = '';
    // The restart and the end are conditions seen in the watch's own lines, not a count of samples that
    // a slow start of the second process could outlast: 10 samples of the first, then 5 of the second.
    const samples = () => out.slice(0, out.lastIndexOf('\n') + 1).split('\n').filter((line) => line.includes('"type":"sample"')).map((line) => JSON.parse(line) as { processes: number });
    let restarted = false;
    let secondFrom: number | undefined;
    let interrupted = false;
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const taken = samples();
      if (taken.length >= 10 && !restarted) {
        restarted = true;
        first.child.kill('SIGKILL');
        void startScript(['w8', 's60000'], leaky).then(() => { secondFrom = samples().length; });
      }
      if (secondFrom !== undefined && !interrupted && taken.slice(secondFrom).filter((sample) => sample.processes === 1).length >= 5) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    expect(await ended).toBe(0);
    const lines = jsonLines(out);
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ target: { program: 'leaky' }, endedBy: 'interrupted', samples: lines.length - 1, restarts: 1 });
    expect(summary.trend.verdict).not.toBe('growing');
    // Some samples may fall between the two, when no process of that name runs.
    expect(lines.slice(0, -1).every((line) => line.processes === 1 || line.processes === 0)).toBe(true);
  });
});

describe('footprint watch, the whole machine', () => {
  test('off a terminal: one report per interval', () => {
    const result = watch(['--interval', '100ms', '--count', '2']);
    expect(result.status).toBe(0);
    const headers = result.stdout.split('\n').filter((line) => line.startsWith('== '));
    expect(headers).toHaveLength(2);
    expect(result.stdout.match(/^ *Writable +Private +Shared +RAM used +Program$/gm)).toHaveLength(2);
    const json = watch(['--interval', '100ms', '--count', '2', '--json']);
    expect(jsonLines(json.stdout).map((report) => report.schema)).toEqual(['footprint.report/1', 'footprint.report/1']);
  });

  test('on a terminal (tmux): redrawn in place on the alternate screen, with a Since start column; q quits and restores the screen', async () => {
    const socket = join(dir, 'tmux.sock');
    const tmux = (...args: string[]) => spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
    const pane = () => tmux('capture-pane', '-p', '-t', 'fp').stdout;
    const until = async (what: string, check: (text: string) => boolean) => {
      for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
        const text = pane();
        if (check(text)) return text;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`tmux pane never showed ${what}:\n${pane()}`);
    };
    // A name of its own: another suite's memscript running meanwhile would share its row.
    const watched = join(dir, 'tmuxwatched');
    copyFileSync(memscript, watched);
    chmodSync(watched, 0o755);
    const { pid } = await startScript(['w24', 's60000'], watched);
    // --units MiB: without it the screen's unit follows the largest process on the machine (GiB beside another's 8 GiB).
    expect(tmux('new-session', '-d', '-s', 'fp', '-x', '160', '-y', '50', `printf 'before\\n'; ${process.execPath} ${BIN} watch --interval 200ms --units MiB; echo "exited $?"; sleep 60`).status).toBe(0);
    try {
      const screen = await until('the watch screen', (text) => text.includes('footprint watch: every 200ms') && text.includes('tmuxwatched'));
      expect(screen).toMatch(/^ *Writable +Since start +Private +Shared +RAM used +Program$/m);
      expect(screen).not.toContain('before');
      expect(screen).toMatch(/24\.\d MiB +[+-]?\d+(\.\d)? (B|KiB|MiB) .* tmuxwatched \(1\)/);
      expect(pid).toBeGreaterThan(0);
      tmux('send-keys', '-t', 'fp', 'q');
      const after = await until('the exit', (text) => text.includes('exited 0'));
      expect(after).toContain('before');
      expect(after).toMatch(/footprint watch: \d+ reports?, ended by q or a signal\nexited 0/);
    } finally {
      tmux('kill-server');
    }
  });
});
