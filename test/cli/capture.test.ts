import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { figuresFromRollup, readRollup, untilSettled } from '../helpers/procRead.js';
import { figuresOf } from '../helpers/runFootprint.js';
import { runCli, runJson } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

let idle: ChildProcess;
let pid: number;
let dir: string;
let capture: { status: number | null; stdout: string; stderr: string };

beforeAll(async () => {
  // An idle process: its figures do not move between the live run and the capture.
  idle = spawn('/bin/sleep', ['1000'], { stdio: 'ignore' });
  pid = idle.pid!;
  await untilSettled(pid, realpathSync('/bin/sleep'));
  dir = tempDir('footprint-capture-');
  capture = runCli(['capture', dir, '--pid', String(pid)]);
}, 30_000);

afterAll(() => {
  idle.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('footprint capture DIR --pid', () => {
  it('says what it captured', () => {
    expect(capture.status).toBe(0);
    expect(capture.stderr).toBe('');
    const [processes, cgroups] = capture.stdout.split('\n');
    expect(processes).toBe(`Captured 1 process into ${dir}/proc (0 not readable, 0 kernel threads); read it with --proc-root ${dir}/proc`);
    // The memory hierarchy beside it, whole (the walk reads every cgroup's files and members).
    const count = Number(/^Captured (\d+) memory cgroups? \(v1\) into /.exec(cgroups)![1]);
    expect(cgroups).toBe(`Captured ${count} memory cgroup${count === 1 ? '' : 's'} (v1) into ${dir}/cgroup; footprint cgroups --proc-root ${dir}/proc reads them`);
    let directories = 0;
    const walk = (path: string): void => {
      directories++;
      for (const entry of readdirSync(path, { withFileTypes: true })) if (entry.isDirectory()) walk(join(path, entry.name));
    };
    walk(`${dir}/cgroup`);
    expect(directories).toBe(count);
  });

  it('writes exactly the files footprint reads', () => {
    // self/mountinfo: only the cgroup mounts' lines, where the hierarchy's top is found offline, and the tmpfs mounts' (shmem).
    expect(readdirSync(`${dir}/proc`).sort()).toEqual([String(pid), 'meminfo', 'self', 'sys', 'sysvipc', 'zoneinfo']);
    expect(readFileSync(`${dir}/proc/self/mountinfo`, 'utf8').trimEnd().split('\n').every((line) => / - (cgroup2?|tmpfs|devtmpfs) /.test(line))).toBe(true);
    expect(readdirSync(`${dir}/proc/sysvipc`)).toEqual(['shm']);
    expect(readdirSync(`${dir}/proc/sys/kernel`).sort()).toEqual(['hostname', 'osrelease']);
    // comm, maps and fd/'s links: what `footprint shmem --proc-root` reads.
    expect(readdirSync(`${dir}/proc/${pid}`).sort()).toEqual(['cgroup', 'cmdline', 'comm', 'exe', 'fd', 'maps', 'oom_score', 'smaps', 'smaps_rollup', 'stat', 'status']);
    expect(readdirSync(`${dir}/proc/${pid}/fd`).every((fd) => lstatSync(`${dir}/proc/${pid}/fd/${fd}`).isSymbolicLink())).toBe(true);
    expect(lstatSync(`${dir}/proc/${pid}/exe`).isSymbolicLink()).toBe(true);
    expect(readlinkSync(`${dir}/proc/${pid}/exe`)).toBe(readlinkSync(`/proc/${pid}/exe`));
    expect(readFileSync(`${dir}/proc/${pid}/cmdline`, 'utf8')).toBe('/bin/sleep\u00001000\u0000');
  });

  it('the offline report gives the same groups as a live --pid run', () => {
    const live = runJson(['--pid', String(pid)]);
    const offline = runJson(['--proc-root', `${dir}/proc`]);
    expect(offline.groups.map((g: { name: string; pids: number[] }) => [g.name, g.pids])).toEqual([['sleep', [pid]]]);
    expect(live.groups.map((g: { name: string; pids: number[] }) => [g.name, g.pids])).toEqual([['sleep', [pid]]]);
    // Offline, the figures are exactly those of the captured smaps_rollup.
    expect(figuresOf(offline.groups[0])).toEqual(figuresFromRollup(readRollup(pid, `${dir}/proc`)));
    // Live, a moment later, the process's own pages are the same (give or take a page the kernel touches);
    // how its clean pages split into private and shared moves as neighbours map the same files.
    for (const field of ['writable', 'rss']) {
      expect(Math.abs(offline.groups[0][field] - live.groups[0][field])).toBeLessThanOrEqual(8192);
    }
    expect(offline.host).toBe(live.host);
    expect(offline.kernel).toBe(live.kernel);
  });

  it('show offline lists the same mappings as show live', () => {
    const live = runJson(['show', String(pid), '--mappings']);
    const offline = runJson(['show', String(pid), '--mappings', '--proc-root', `${dir}/proc`]);
    expect(offline.name).toBe('sleep');
    expect(offline.mappings.map((m: { name: string; mappings: number }) => [m.name, m.mappings]).sort())
      .toEqual(live.mappings.map((m: { name: string; mappings: number }) => [m.name, m.mappings]).sort());
  });

  it('refuses a directory that is not empty: exit 2', () => {
    const result = runCli(['capture', dir, '--pid', String(pid)]);
    expect(result).toEqual({ status: 2, stdout: '', stderr: `footprint: capture: ${dir}/proc already exists and is not empty\n` });
  });

  it('cannot write: exit 1, one line', () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    const result = runCli(['capture', file, '--pid', String(pid)]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`footprint: capture: cannot write into ${file}: not a directory (ENOTDIR)\n`);
  });
});
