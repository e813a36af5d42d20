/**
 * The summaries of `run` and `watch` and the part view of one cgroup (`cgroups
 * PATH`) fit the terminal a person uses (issue 22): tmux terminals of 80×24 and
 * 120×40, no line wider than the terminal, on a real run, a real watched
 * process and a real memory cgroup, each named far longer than a line leaves
 * room for; `--wide` and a pipe give the cgroup view whole.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { fixtureBinary, stopChildren } from '../helpers/liveProcesses.js';
import { canMakeMemoryCgroups, childCgroupPath, MEMORY_MOUNT, removeCgroupDir, startMemscriptIn } from '../helpers/memoryCgroups.js';
import { assertBuilt, FOOTPRINT_HOME } from '../helpers/runFootprint.js';
import { footprintOnTerminal } from '../helpers/terminal.js';
import { tempDir } from '../helpers/tempPaths.js';

const BIN = join(FOOTPRINT_HOME, 'bin', 'footprint.js');
const dir = tempDir('footprint-summaries-');
const socket = join(dir, 'tmux.sock');
// A program whose name, with its directory, is as long as an 80-column line.
const LONG_NAME = 'memscript-with-a-long-name-to-stress-the-summaries';
const longProgram = join(dir, LONG_NAME);
// A cgroup whose name alone is wider than any terminal.
const LONG_CGROUP = childCgroupPath(`footprint-summaries-${'y'.repeat(150)}-end`);
const children: ChildProcess[] = [];
let watchedPid: number;

beforeAll(async () => {
  assertBuilt();
  chmodSync(dir, 0o755);
  copyFileSync(fixtureBinary('memscript'), longProgram);
  chmodSync(longProgram, 0o755);
  // One session held for the whole file: a tmux server whose last session ends exits.
  expect(spawnSync('tmux', ['-S', socket, 'new-session', '-d', '-s', 'keep', 'sleep 900']).status).toBe(0);
  if (!canMakeMemoryCgroups) throw new Error('these tests make a memory cgroup: run them as root with the v1 memory controller');
  mkdirSync(join(MEMORY_MOUNT, LONG_CGROUP));
  // The long-named program, 8 MiB written, in the long-named cgroup: the process watched, and the cgroup's member.
  ({ pid: watchedPid } = await startMemscriptIn(join(MEMORY_MOUNT, LONG_CGROUP), longProgram, 8, children));
}, 60_000);

afterAll(async () => {
  spawnSync('tmux', ['-S', socket, 'kill-server']);
  await stopChildren(children, 'SIGKILL');
  if (canMakeMemoryCgroups) removeCgroupDir(join(MEMORY_MOUNT, LONG_CGROUP));
  rmSync(dir, { recursive: true, force: true });
});

const wider = (lines: string[], columns: number) => lines.filter((line) => [...line.trimEnd()].length > columns);

describe.each([[80, 24], [120, 40]])('a terminal of %d×%d: no line wider', (columns, rows) => {
  const onTerminal = (args: string[]) => footprintOnTerminal(socket, columns, rows, args);

  test("run's summary (on stderr, to the terminal), of a long-named program and its children", async () => {
    const { code, lines } = await onTerminal(['run', '--', longProgram, 'w8', 'c2,4,300', 's300', 'w16', 's300']);
    expect(code).toBe(0);
    expect(lines.some((line) => line.startsWith('  Peak writable '))).toBe(true);
    expect(lines.some((line) => line.startsWith('  Page faults '))).toBe(true);
    expect(wider(lines, columns)).toEqual([]);
  });

  test("watch PID's lines and summary, the long name wrapped at words", async () => {
    const { code, lines } = await onTerminal(['watch', String(watchedPid), '--interval', '50ms', '--count', '4']);
    expect(code).toBe(0);
    expect(lines[0]).toMatch(new RegExp(`^Watching PID ${watchedPid} \\(${LONG_NAME}\\)`));
    expect(lines.filter((line) => /^\d\d:\d\d:\d\d\.\d\d +\d/.test(line))).toHaveLength(4);
    expect(lines.some((line) => line.startsWith(`Watched PID ${watchedPid} (${LONG_NAME})`))).toBe(true);
    expect(lines.some((line) => line.startsWith('  Trend: too-short'))).toBe(true);
    expect(wider(lines, columns)).toEqual([]);
  });

  test("watch --program's lines and summary", async () => {
    const { code, lines } = await onTerminal(['watch', '--program', LONG_NAME, '--interval', '100ms', '--count', '2']);
    expect(code).toBe(0);
    expect(lines.some((line) => line.startsWith(`Watched program ${LONG_NAME}`))).toBe(true);
    expect(wider(lines, columns)).toEqual([]);
  });

  test.each([
    ['the long-named cgroup, its path shortened in its middle', () => LONG_CGROUP],
    ['the root cgroup, the whole machine in parts', () => '/'],
  ])('cgroups PATH: %s', async (_what, path) => {
    const { code, lines } = await onTerminal(['cgroups', path()]);
    expect(code).toBe(0);
    expect(lines.some((line) => /^PART +SIZE +SHARE +/.test(line))).toBe(true);
    expect(lines.some((line) => /^charge +\d/.test(line))).toBe(true);
    expect(lines.some((line) => line.startsWith('Limit: '))).toBe(true);
    expect(wider(lines, columns)).toEqual([]);
    if (path() === LONG_CGROUP) {
      const [head, tail] = lines[0].slice('cgroup '.length, -' (cgroup v1)'.length).split('…');
      expect(LONG_CGROUP.startsWith(head) && LONG_CGROUP.endsWith(tail) && head.length > 4 && tail.length > 4).toBe(true);
      // Its member, named in full or wrapped: the next victim.
      expect(lines.join(' ')).toMatch(new RegExp(`Next victim: ${LONG_NAME.slice(0, 15)}`));
    }
  });

  test('cgroups PATH --wide: whole, the path and the FROM column', async () => {
    const { code, lines } = await onTerminal(['cgroups', LONG_CGROUP, '--wide']);
    expect(code).toBe(0);
    expect(lines[0]).toBe(`cgroup ${LONG_CGROUP} (cgroup v1)`);
    expect(lines.some((line) => /^PART +SIZE +SHARE +FROM +PROCESSES HOLD$/.test(line.trimEnd()))).toBe(true);
  });
});

test('cgroups PATH in a pipe: whole, as before', () => {
  const result = spawnSync(process.execPath, [BIN, 'cgroups', LONG_CGROUP], { encoding: 'utf8', timeout: 60_000 });
  expect(result.status).toBe(0);
  const lines = result.stdout.split('\n');
  expect(lines[0]).toBe(`cgroup ${LONG_CGROUP} (cgroup v1)`);
  expect(lines[1]).toMatch(/^PART +SIZE +SHARE +FROM +PROCESSES HOLD$/);
  expect(lines.some((line) => line.startsWith('Working set (') && line.length > 120)).toBe(true);
});
