/**
 * PID reuse between reads. A real reuse cannot be timed from a test, so this is
 * the one place the live suite mocks: node:fs's openSync, wrapped so that a
 * chosen open of a file in a temp /proc tree (copied from this process's own
 * real /proc files) first "reuses" the PID — rewrites stat with a new start
 * time, and cmdline and exe with another program's — or fails with an errno.
 */
import { cpSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import * as realFs from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { tempDir } from '../helpers/tempPaths.js';

type OpenHook = (path: string) => void;
let onOpen: OpenHook = () => {};

/**
 * The path an open names: a captured tree is read one name at a time inside
 * directories already opened (src/kernel/files/openInside.ts), as
 * /proc/self/fd/N/NAME; the hooks see the directory's own path and NAME.
 */
function namedPath(path: string): string {
  const inside = /^\/proc\/self\/fd\/(\d+)\/(.+)$/.exec(path);
  return inside ? join(realFs.readlinkSync(`/proc/self/fd/${inside[1]}`), inside[2]) : path;
}

jest.unstable_mockModule('node:fs', () => ({
  ...realFs,
  default: realFs,
  openSync: (path: string, ...rest: unknown[]) => {
    onOpen(namedPath(String(path)));
    return (realFs.openSync as (...args: unknown[]) => number)(path, ...rest);
  },
}));

const { ProcReader } = await import('../../src/kernel/procReader.js');
const { scanProcesses } = await import('../../src/scan/scanProcesses.js');
const { readProcessMappings } = await import('../../src/scan/readProcessMappings.js');

const PID = 4242;
const root = tempDir('footprint-reuse-');
const dir = join(root, String(PID));

/** stat of this very process, as PID 4242, with field 22 (start time) set. */
function statWithStart(startTime: number): string {
  const text = readFileSync('/proc/self/stat', 'utf8');
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).trimEnd().split(' ');
  rest[19] = String(startTime);
  return `${PID} ${text.slice(text.indexOf('('), close + 1)} ${rest.join(' ')}\n`;
}

const ORIGINAL_START = 1000;
const REUSED_START = 2000;

function writeTree(): void {
  rmSync(dir, { recursive: true, force: true });
  realFs.mkdirSync(dir, { recursive: true });
  cpSync('/proc/meminfo', join(root, 'meminfo'));
  writeFileSync(join(dir, 'stat'), statWithStart(ORIGINAL_START));
  for (const file of ['status', 'smaps_rollup', 'smaps']) writeFileSync(join(dir, file), readFileSync(`/proc/self/${file}`, 'utf8'));
  writeFileSync(join(dir, 'cmdline'), 'original\0--flag\0');
  symlinkSync('/usr/bin/original', join(dir, 'exe'));
}

/** The PID now names another process: new start time, other program. */
function reuse(): void {
  writeFileSync(join(dir, 'stat'), statWithStart(REUSED_START));
  writeFileSync(join(dir, 'cmdline'), 'impostor\0');
  unlinkSync(join(dir, 'exe'));
  symlinkSync('/usr/bin/impostor', join(dir, 'exe'));
}

/** Reuse the PID at the first open of FILE (before that open reads it). */
function reuseAt(file: string): void {
  let done = false;
  onOpen = (path) => {
    if (!done && path === join(dir, file)) {
      done = true;
      reuse();
    }
  };
}

function failOpen(file: string, code: string): OpenHook {
  return (path) => {
    if (path === join(dir, file)) throw Object.assign(new Error(`${code}: ${path}`), { code });
  };
}

const scanOptions = { pids: [PID], estimate: false, cgroups: false };

beforeEach(() => {
  onOpen = () => {};
  writeTree();
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('the tree is a valid process when nothing changes (control)', () => {
  test('scan measures it under its own name and start time', () => {
    const result = scanProcesses(new ProcReader(root), scanOptions);
    expect(result.counts).toMatchObject({ seen: 1, measured: 1, gone: 0 });
    expect(result.samples[0]).toMatchObject({ pid: PID, startTime: ORIGINAL_START, exe: '/usr/bin/original', cmdline: ['original', '--flag'] });
  });

  test('show reads its mappings', () => {
    const read = readProcessMappings(new ProcReader(root), PID);
    expect(read.ok).toBe(true);
  });

  test('denied smaps_rollup with --estimate: an estimate under its own name', () => {
    onOpen = failOpen('smaps_rollup', 'EACCES');
    const result = scanProcesses(new ProcReader(root), { ...scanOptions, estimate: true });
    expect(result.counts).toMatchObject({ seen: 1, measured: 0, denied: 1, estimated: 1 });
    expect(result.samples[0]).toMatchObject({ pid: PID, startTime: ORIGINAL_START, exe: '/usr/bin/original', estimated: true });
  });
});

describe('the PID is reused mid-read: counted as gone, never a figure under the new name', () => {
  // cmdline is read with exe, after the figures: the name of whoever holds the PID then.
  // status is read only where UIDs are wanted (--group user, -u, capture).
  for (const file of ['status', 'smaps_rollup', 'cmdline']) {
    test(`scan, reused at ${file}`, () => {
      reuseAt(file);
      const result = scanProcesses(new ProcReader(root), { ...scanOptions, uids: file === 'status' });
      expect(result.counts).toMatchObject({ seen: 1, measured: 0, gone: 1, denied: 0 });
      expect(result.samples).toEqual([]);
    });
  }

  test('scan --estimate, smaps_rollup denied, reused while its name is read', () => {
    const denied = failOpen('smaps_rollup', 'EACCES');
    let done = false;
    onOpen = (path) => {
      denied(path);
      if (!done && path === join(dir, 'cmdline')) {
        done = true;
        reuse();
      }
    };
    const result = scanProcesses(new ProcReader(root), { ...scanOptions, estimate: true });
    expect(result.samples).toEqual([]);
    expect(result.counts).toMatchObject({ seen: 1, measured: 0, gone: 1, denied: 0, estimated: 0 });
  });

  test('scan, smaps_rollup fails with ESRCH (exiting): gone, not an error', () => {
    onOpen = failOpen('smaps_rollup', 'ESRCH');
    const result = scanProcesses(new ProcReader(root), { ...scanOptions, estimate: true });
    expect(result.counts).toMatchObject({ seen: 1, measured: 0, gone: 1, denied: 0, estimated: 0 });
    expect(result.samples).toEqual([]);
  });

  for (const file of ['status', 'smaps', 'cmdline']) {
    test(`show, reused at ${file}: "no such process"`, () => {
      reuseAt(file);
      const read = readProcessMappings(new ProcReader(root), PID);
      expect(read).toMatchObject({ ok: false, reason: 'no-such-process' });
    });
  }
});
