/**
 * Issue 20, part 2: a captured tree is read only inside itself. A real capture
 * (`footprint capture DIR --pid A,B,C` of three memhogs of known memory) is
 * copied, handed to user nobody, and nobody plants symbolic links in it for
 * real: a cmdline to a root-only secret, a status into the live /proc, a whole
 * PID directory to /proc/1, an oom_score and a smaps to the secret. Root then
 * replays it with the real CLI: the secret never shows, the process with a
 * link is left out as malformed with the link named, the other two are
 * reported with exactly the figures of their captured smaps_rollup, exit 0.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { figuresFromRollup, readRollup, sumFigures } from '../helpers/procRead.js';
import { AS_NOBODY, NOBODY_UID, startMemhog, stopAll, type Memhog } from '../helpers/liveProcesses.js';
import { figuresOf } from '../helpers/runFootprint.js';
import { runCli } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

const SECRET = `footprint-secret-${process.pid}-${Date.now()}`;
let hogs: Memhog[];
let captured: string;
let secretDir: string;
let secretFile: string;
let work: string;

beforeAll(async () => {
  hogs = [await startMemhog({ privateMiB: 6 }), await startMemhog({ privateMiB: 3 }), await startMemhog({ privateMiB: 2 })];
  captured = tempDir('footprint-capture-links-');
  const capture = runCli(['capture', captured, '--pid', hogs.map((hog) => hog.pid).join(','), '-q']);
  expect(capture).toMatchObject({ status: 0, stderr: '' });
  // A root-only secret, in a root-only directory, that nobody can name but not read.
  secretDir = tempDir('footprint-secret-');
  secretFile = join(secretDir, 'shadow');
  writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  work = tempDir('footprint-links-work-');
  chmodSync(work, 0o755);
}, 60_000);

afterAll(async () => {
  await stopAll();
  for (const dir of [captured, secretDir, work]) if (dir) rmSync(dir, { recursive: true, force: true });
});

let copies = 0;

/** A fresh copy of the capture's proc tree, owned by nobody (its links copied as links). */
function nobodysCopy(): string {
  const tree = join(work, `copy-${copies++}`);
  cpSync(join(captured, 'proc'), tree, { recursive: true, verbatimSymlinks: true });
  expect(spawnSync('chown', ['-R', `${NOBODY_UID}:${NOBODY_UID}`, tree]).status).toBe(0);
  return tree;
}

/** Runs a shell command as user nobody: the links are planted by an unprivileged user, for real. */
function asNobody(command: string): void {
  const result = spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), 'sh', '-c', command], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

/** nobody replaces `relative` in the tree with a symbolic link to `target`. */
function plantLink(tree: string, relative: string, target: string): void {
  asNobody(`rm -rf '${tree}/${relative}' && ln -s '${target}' '${tree}/${relative}'`);
}

/** --json on the tree, grouped by `group` (cmdline and user read the files those planted links stand for). */
function reportJson(tree: string, group: string) {
  const result = runCli(['--proc-root', tree, '--json', '--group', group]);
  expect(result.stdout).not.toContain(SECRET);
  expect(result.stderr).not.toContain(SECRET);
  expect(result.status).toBe(0);
  return { json: JSON.parse(result.stdout), stderr: result.stderr };
}

const capturedFigures = (pid: number) => figuresFromRollup(readRollup(pid, join(captured, 'proc')));

/** The first hog left out as malformed (`why` the line's end), the two others exactly as captured. */
function expectLeftOut(tree: string, group: string, why: string): void {
  const { json, stderr } = reportJson(tree, group);
  const [left, ...kept] = hogs.map((hog) => hog.pid);
  expect(json.scan).toMatchObject({ seen: 3, measured: 2, malformed: 1, denied: 0, gone: 0 });
  expect(json.groups.flatMap((row: { pids: number[] }) => row.pids).sort()).toEqual([...kept].sort());
  expect(sumFigures(json.groups.map(figuresOf))).toEqual(sumFigures(kept.map(capturedFigures)));
  expect(stderr).toBe(`footprint: 1 process left out as malformed; the first: cannot read ${tree}/${left}/${why}; a captured tree is read only inside itself\n`);
}

describe('the capture as it was written', () => {
  it('is read whole: three processes, each with exactly its captured figures, memhog\'s own pages among them', () => {
    const { json, stderr } = reportJson(join(captured, 'proc'), 'pid');
    expect(stderr).toBe('');
    expect(json.scan).toMatchObject({ seen: 3, measured: 3, malformed: 0 });
    expect(json.groups.map((group: { pids: number[] }) => group.pids)).toEqual(hogs.map((hog) => [hog.pid]));
    for (const [i, mib] of [6, 3, 2].entries()) {
      const figures = figuresOf(json.groups[i]);
      expect(figures).toEqual(capturedFigures(hogs[i].pid));
      expect(figures.writable).toBeGreaterThanOrEqual(mib * 1024 * 1024);
    }
    // capture writes exe as a link: its text is the name, read as data.
    const exe = readlinkSync(join(captured, 'proc', String(hogs[0].pid), 'exe'));
    expect(json.groups[0].name).toBe(`${exe.slice(exe.lastIndexOf('/') + 1)} [${hogs[0].pid}]`);
  });
});

describe('links planted by nobody are refused, never followed', () => {
  it('cmdline linked to a root-only secret: not printed by --group cmdline, the process left out', () => {
    const tree = nobodysCopy();
    const pid = hogs[0].pid;
    plantLink(tree, `${pid}/cmdline`, secretFile);
    expectLeftOut(tree, 'cmdline', `cmdline: ${pid}/cmdline is a symbolic link`);
    // The text report, where a command line is printed whole.
    const text = runCli(['--proc-root', tree, '--group', 'cmdline']);
    expect(text.status).toBe(0);
    expect(text.stdout + text.stderr).not.toContain(SECRET);
  });

  it('status linked into the live /proc: not read (--group user reads status)', () => {
    const tree = nobodysCopy();
    const pid = hogs[0].pid;
    plantLink(tree, `${pid}/status`, '/proc/self/status');
    expectLeftOut(tree, 'user', `status: ${pid}/status is a symbolic link`);
  });

  it('a PID directory linked to /proc/1: nothing under it is opened', () => {
    const tree = nobodysCopy();
    const pid = hogs[0].pid;
    plantLink(tree, String(pid), '/proc/1');
    expectLeftOut(tree, 'pid', `stat: ${pid} is a symbolic link`);
  });

  it('oom_score linked to the secret: the process is left out, not given a score', () => {
    const tree = nobodysCopy();
    const pid = hogs[0].pid;
    plantLink(tree, `${pid}/oom_score`, secretFile);
    expectLeftOut(tree, 'pid', `oom_score: ${pid}/oom_score is a symbolic link`);
  });

  it('show PID with its smaps linked to the secret: one line, exit 1, the secret never shown', () => {
    const tree = nobodysCopy();
    const pid = hogs[0].pid;
    plantLink(tree, `${pid}/smaps`, secretFile);
    const result = runCli(['show', String(pid), '--proc-root', tree]);
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr: `footprint: cannot read ${tree}/${pid}/smaps: ${pid}/smaps is a symbolic link; a captured tree is read only inside itself\n`,
    });
  });

  it('meminfo linked out: the tree is not taken as a /proc tree (exit 2, one line)', () => {
    const tree = nobodysCopy();
    plantLink(tree, 'meminfo', '/proc/meminfo');
    const result = runCli(['--proc-root', tree]);
    expect(result).toEqual({ status: 2, stdout: '', stderr: `footprint: --proc-root ${tree}: not a /proc tree (no readable meminfo)\n` });
  });

  it('a link that stays inside the tree is no escape either: it is refused the same way', () => {
    const tree = nobodysCopy();
    const [first, second] = hogs.map((hog) => hog.pid);
    plantLink(tree, `${first}/cmdline`, `${tree}/${second}/cmdline`);
    expectLeftOut(tree, 'cmdline', `cmdline: ${first}/cmdline is a symbolic link`);
  });
});

describe('the live /proc is unchanged', () => {
  it('its own links (exe) are the kernel\'s: a live --pid run names each memhog by its exe', () => {
    const result = runCli(['--json', '--group', 'pid', '--pid', hogs.map((hog) => hog.pid).join(',')]);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    const exe = readlinkSync(`/proc/${hogs[0].pid}/exe`);
    expect(json.groups.map((group: { name: string }) => group.name)).toEqual(hogs.map((hog) => `${exe.slice(exe.lastIndexOf('/') + 1)} [${hog.pid}]`));
    expect(readFileSync(`/proc/${hogs[0].pid}/cmdline`, 'utf8')).toContain('memhog');
  });
});
