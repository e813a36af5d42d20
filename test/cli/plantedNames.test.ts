import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { BIN, MiB, ago, group, report, writeReport } from '../helpers/storeFixtures.js';
import { procRoot } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

/*
 * Names another user controls (issue 20, part 1). This machine has
 * fs.protected_symlinks=0 and fs.protected_fifos=0: the kernel lets root follow
 * any link and open any FIFO in a sticky world-writable directory. So footprint
 * must not. Each test plants, for real, as user nobody (setpriv), links and
 * FIFOs in a world-writable sticky directory the suite makes, and then runs the
 * real CLI as root. A write that followed a link into a FIFO would block for
 * ever: every run has a deadline far beyond its need and is killed there, so a
 * regression fails (status null) instead of hanging the suite.
 */

const NOBODY = 65534;
/** Each run answers in a second or two, even on a busy machine; a blocked write is killed here, well inside the test's own timeout. */
const DEADLINE_MS = 40_000;
jest.setTimeout(4 * DEADLINE_MS);
const TREE = procRoot('kernel-thread');
const SECRET = 'root only, never to be overwritten\n';
const REFUSAL = '(footprint writes a new file in its place only over a file or a link to one)';
const isRoot = process.getuid?.() === 0;
const maybe = isRoot ? describe : describe.skip;

let shared: string;
let rootOnly: string;
let secret: string;

/** A command run as user nobody, for real; it must succeed (the planting itself is not what is tested). */
function asNobody(command: string, ...args: string[]): void {
  const result = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', command, ...args], { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`as nobody, ${command} ${args.join(' ')}: ${result.stderr}`);
}

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The real CLI, as root, killed at a deadline far beyond its need: a write blocked on a FIFO fails the test with status null. */
function footprint(args: string[]): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.on('close', (status) => {
      clearTimeout(deadline);
      done({ status, stdout, stderr });
    });
  });
}

/** lstat's view of `path`: what it is and whose, without following it. */
function kind(path: string): string {
  const stats = lstatSync(path);
  const what = stats.isSymbolicLink() ? 'link' : stats.isFIFO() ? 'fifo' : stats.isFile() ? 'file' : stats.isDirectory() ? 'dir'
    : stats.isCharacterDevice() ? 'chardev' : stats.isSocket() ? 'socket' : 'other';
  return `${what}:${stats.uid}`;
}

/** A name nobody made a link (to `target`) in the shared directory. */
function plantLink(name: string, target: string): string {
  const path = join(shared, name);
  asNobody('ln', '-s', target, path);
  expect(kind(path)).toBe(`link:${NOBODY}`);
  return path;
}

/** A FIFO nobody made in the shared directory. */
function plantFifo(name: string): string {
  const path = join(shared, name);
  asNobody('mkfifo', path);
  expect(kind(path)).toBe(`fifo:${NOBODY}`);
  return path;
}

/** A report directory holding one report of an hour ago, for history. */
function reportDir(path: string, mode = 0o700): string {
  mkdirSync(path, { mode });
  chmodSync(path, mode);
  writeReport(path, report(ago(0, 1), [group('planted', 3 * MiB)]));
  return path;
}

maybe('names planted by another user in a world-writable sticky directory', () => {
  beforeAll(() => {
    shared = tempDir('footprint-planted-');
    chmodSync(shared, 0o1777);
    rootOnly = tempDir('footprint-rootonly-');
    secret = join(rootOnly, 'secret');
    writeFileSync(secret, SECRET, { mode: 0o600 });
  });

  afterAll(() => {
    rmSync(shared, { recursive: true, force: true });
    rmSync(rootOnly, { recursive: true, force: true });
  });

  test('export --textfile at nobody\'s link to a FIFO: refused with one line before the scan, the FIFO never opened', async () => {
    const fifo = plantFifo('export.fifo');
    const name = plantLink('metrics.prom', fifo);
    const result = await footprint(['export', '--proc-root', TREE, '--textfile', name]);
    expect(result).toEqual({ status: 1, stdout: '', stderr: `footprint: cannot write ${name}: it is a link to a FIFO, not a regular file ${REFUSAL}\n` });
    expect(kind(name)).toBe(`link:${NOBODY}`);
    expect(kind(fifo)).toBe(`fifo:${NOBODY}`);
  });

  test('export --textfile over nobody\'s link to a root-only file: the file is unchanged, the name now root\'s own file', async () => {
    const name = plantLink('secret.prom', secret);
    const result = await footprint(['export', '--proc-root', TREE, '--textfile', name, '--quiet']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(readFileSync(secret, 'utf8')).toBe(SECRET);
    expect(kind(name)).toBe('file:0');
    expect(readFileSync(name, 'utf8')).toMatch(/^# HELP footprint_/);
  });

  test('export --textfile at nobody\'s FIFO itself: refused with one line, at once, the FIFO left', async () => {
    const fifo = plantFifo('direct.prom');
    const result = await footprint(['export', '--proc-root', TREE, '--textfile', fifo]);
    expect(result).toEqual({
      status: 1, stdout: '',
      stderr: `footprint: cannot write ${fifo}: it is a FIFO, not a regular file ${REFUSAL}\n`,
    });
    expect(kind(fifo)).toBe(`fifo:${NOBODY}`);
    expect(readdirSync(shared).filter((entry) => entry.includes('direct.prom'))).toEqual(['direct.prom']);
  });

  test('export --textfile into a directory that is nobody\'s link: refused with one line, nothing made where it points', async () => {
    const target = join(rootOnly, 'textfile-target');
    mkdirSync(target, { mode: 0o700 });
    const link = plantLink('collector', target);
    const name = join(link, 'metrics.prom');
    const result = await footprint(['export', '--proc-root', TREE, '--textfile', name]);
    expect(result).toEqual({ status: 1, stdout: '', stderr: `footprint: cannot write ${name}: ${link} is a symbolic link of user ${NOBODY}\n` });
    expect(readdirSync(target)).toEqual([]);
  });

  test('a character device at the name (a null device made here, as /dev/null): refused, still the device', async () => {
    const device = join(shared, 'null.prom');
    expect(spawnSync('mknod', ['-m', '666', device, 'c', '1', '3']).status).toBe(0);
    const result = await footprint(['export', '--proc-root', TREE, '--textfile', device]);
    expect(result).toEqual({
      status: 1, stdout: '',
      stderr: `footprint: cannot write ${device}: it is a character device, not a regular file ${REFUSAL}\n`,
    });
    expect(kind(device)).toBe('chardev:0');
  });

  test('run --json over nobody\'s link to a root-only file: written as a new file, the root-only file unchanged', async () => {
    const name = plantLink('run.json', secret);
    const result = await footprint(['run', '--json', name, '--quiet', '--', 'true']);
    expect(result.status).toBe(0);
    expect(readFileSync(secret, 'utf8')).toBe(SECRET);
    expect(kind(name)).toBe('file:0');
    expect(JSON.parse(readFileSync(name, 'utf8')).schema).toBe('footprint.run/1');
  });

  test('run --html at nobody\'s FIFO, or --json at a socket: refused with one line before CMD runs', async () => {
    const fifo = plantFifo('run.html');
    const marker = join(rootOnly, 'ran');
    const result = await footprint(['run', '--html', fifo, '--', 'touch', marker]);
    expect(result).toEqual({
      status: 1, stdout: '',
      stderr: `footprint: cannot write ${fifo}: it is a FIFO, not a regular file ${REFUSAL}\n`,
    });
    expect(() => lstatSync(marker)).toThrow();
    expect(kind(fifo)).toBe(`fifo:${NOBODY}`);

    const socketPath = join(shared, 'run.sock');
    const server: Server = createServer();
    await new Promise<void>((listening) => server.listen(socketPath, listening));
    try {
      const onSocket = await footprint(['run', '--json', socketPath, '--', 'true']);
      expect(onSocket).toEqual({
        status: 1, stdout: '',
        stderr: `footprint: cannot write ${socketPath}: it is a socket, not a regular file ${REFUSAL}\n`,
      });
      expect(kind(socketPath)).toBe('socket:0');
    } finally {
      await new Promise((closed) => server.close(closed));
    }
  });

  test('history --html over nobody\'s link to a root-only file: replaced; at a FIFO or a link to one: refused with one line before the work', async () => {
    const dir = reportDir(join(rootOnly, 'reports-html'));
    const name = plantLink('hist.html', secret);
    const written = await footprint(['history', '--dir', dir, '--html', name, '--quiet']);
    expect([written.status, written.stderr]).toEqual([0, '']);
    expect(kind(name)).toBe('file:0');
    expect(readFileSync(name, 'utf8')).toContain('planted');
    expect(readFileSync(secret, 'utf8')).toBe(SECRET);

    const fifo = plantFifo('history.fifo');
    const linked = plantLink('hist-fifo.html', fifo);
    const throughLink = await footprint(['history', '--dir', dir, '--html', linked]);
    expect(throughLink).toEqual({ status: 1, stdout: '', stderr: `footprint: cannot write ${linked}: it is a link to a FIFO, not a regular file ${REFUSAL}\n` });

    const refused = await footprint(['history', '--dir', dir, '--html', fifo]);
    expect(refused).toEqual({
      status: 1, stdout: '',
      stderr: `footprint: cannot write ${fifo}: it is a FIFO, not a regular file ${REFUSAL}\n`,
    });
    expect(kind(fifo)).toBe(`fifo:${NOBODY}`);
  });

  test('save --dir that is nobody\'s link to a root-only directory: refused with one line, nothing written there', async () => {
    const target = join(rootOnly, 'save-target');
    mkdirSync(target, { mode: 0o700 });
    const name = plantLink('reports', target);
    const result = await footprint(['save', '--dir', name, '--proc-root', TREE]);
    expect(result).toEqual({ status: 1, stdout: '', stderr: `footprint: not saving into ${name}: ${name} is a symbolic link of user ${NOBODY}\n` });
    expect(readdirSync(target)).toEqual([]);
    // Nor through it to a directory to be made beneath: nothing is made where the link points.
    const below = await footprint(['save', '--dir', join(name, 'daily'), '--proc-root', TREE]);
    expect(below).toEqual({ status: 1, stdout: '', stderr: `footprint: not saving into ${join(name, 'daily')}: ${name} is a symbolic link of user ${NOBODY}\n` });
    expect(readdirSync(target)).toEqual([]);
  });

  test('save --dir that is a directory nobody made: refused with one line, nothing written', async () => {
    const dir = join(shared, 'nobodys-reports');
    asNobody('mkdir', '-m', '0777', dir);
    const result = await footprint(['save', '--dir', dir, '--proc-root', TREE]);
    expect(result).toEqual({ status: 1, stdout: '', stderr: `footprint: not saving into ${dir}: it belongs to user ${NOBODY}\n` });
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a .footprint-index that is nobody\'s link to another directory: not written into by save or history, one line each', async () => {
    // Root's report directory, sticky and open to all (as a shared spool might be): nobody can add names, not replace root's.
    const dir = reportDir(join(shared, 'open-reports'), 0o1777);
    const elsewhere = join(rootOnly, 'index-target');
    mkdirSync(elsewhere, { mode: 0o700 });
    const index = join(dir, '.footprint-index');
    asNobody('ln', '-s', elsewhere, index);
    const warning = `footprint: warning: not using the history index ${index}: it is a symbolic link, not a directory footprint made; reading the reports instead\n`;

    const saved = await footprint(['save', '--dir', dir, '--proc-root', TREE, '--quiet']);
    expect([saved.status, saved.stderr]).toEqual([0, warning]);
    const history = await footprint(['history', '--dir', dir, '--json']);
    expect([history.status, history.stderr]).toEqual([0, warning]);
    expect(JSON.parse(history.stdout).reports).toBe(2);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(kind(index)).toBe(`link:${NOBODY}`);
  });

  test('a .footprint-index directory that nobody made: neither read nor written, one line', async () => {
    const dir = reportDir(join(shared, 'open-reports-2'), 0o1777);
    const index = join(dir, '.footprint-index');
    asNobody('mkdir', '-m', '0777', index);
    const history = await footprint(['history', '--dir', dir, '--json']);
    expect([history.status, history.stderr]).toEqual([
      0, `footprint: warning: not using the history index ${index}: it belongs to user ${NOBODY}, not 0: footprint made no such directory; reading the reports instead\n`,
    ]);
    expect(JSON.parse(history.stdout).reports).toBe(1);
    expect(readdirSync(index)).toEqual([]);
  });

  test('the index footprint made itself in the same kind of directory is used and written', async () => {
    const dir = reportDir(join(shared, 'open-reports-3'), 0o1777);
    const history = await footprint(['history', '--dir', dir, '--json']);
    expect([history.status, history.stderr]).toEqual([0, '']);
    expect(kind(join(dir, '.footprint-index'))).toBe('dir:0');
    expect(readdirSync(join(dir, '.footprint-index')).filter((name) => name.endsWith('.idx'))).toHaveLength(1);
  });

  test('capture: nobody\'s link named as a dead writer\'s staging folder is not followed into (its target kept); nobody\'s DIR is refused', async () => {
    const victim = join(rootOnly, 'stage-victim');
    mkdirSync(victim, { mode: 0o700 });
    writeFileSync(join(victim, 'kept'), SECRET);
    const dir = join(shared, 'capture-here');
    mkdirSync(dir, { mode: 0o755 });
    // PID 4194304 is above pid_max's limit (2^22): no writer by that PID can be alive.
    const stale = join(dir, '.footprint-stage-4194304-abcdef');
    // The capture directory is root's: the link is root's too, as a leftover could not be nobody's there.
    spawnSync('ln', ['-s', victim, stale]);
    const captured = await footprint(['capture', dir, '--proc-root', TREE, '--quiet']);
    expect([captured.status, captured.stderr]).toEqual([0, '']);
    expect(readFileSync(join(victim, 'kept'), 'utf8')).toBe(SECRET);
    expect(kind(stale)).toBe('link:0');

    const theirs = join(shared, 'nobodys-capture');
    asNobody('mkdir', '-m', '0777', theirs);
    const refused = await footprint(['capture', theirs, '--proc-root', TREE]);
    expect(refused).toEqual({ status: 1, stdout: '', stderr: `footprint: capture: cannot write into ${theirs}: it belongs to user ${NOBODY}\n` });
    expect(readdirSync(theirs)).toEqual([]);
  });
});
