/**
 * Live, as root, on this machine's cgroup v1 memory controller: an OOM kill
 * inside a child memory cgroup made under the test's own (the memory line of
 * /proc/self/cgroup), limited to 48 MiB, where memscript writes 100 MiB.
 * `watch` (the whole machine) and `serve` must count the kill, save the
 * report they had taken before it as an OOM report and name the cgroup and
 * the victim's PID in it. A shell joins the child first and waits on stdin,
 * so that a scan sees it there before it becomes memscript (exec: the same
 * PID) and is killed. The children are removed in afterAll, also when a test
 * fails; nothing outside the test's own children is touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { canMakeMemoryCgroups, childCgroupPath, MEMORY_MOUNT, removeCgroupDir } from '../helpers/memoryCgroups.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AS_NOBODY, fixtureBinary, NOBODY_UID, stopChildren } from '../helpers/liveProcesses.js';
import { assertBuilt, homeForNobody, removeNobodyCopy, FOOTPRINT_BIN } from '../helpers/runFootprint.js';
import { startServe } from '../helpers/serveProcess.js';
import { readReport } from '../../src/store/readReport.js';
import { oomReportNames } from '../helpers/oomReports.js';
import { until as waitUntil } from '../helpers/until.js';
import { tempDir } from '../helpers/tempPaths.js';

const LIMIT = 48 * 1024 * 1024;
const WRITE_MIB = 100;
const DEADLINE_MS = 30_000;
const asRoot = canMakeMemoryCgroups;

const cgroupPath = (name: string) => childCgroupPath(`footprint-oom-${name}-${process.pid}`);
const made: string[] = [];
const children: ChildProcess[] = [];
const dirs: string[] = [];

/** Polls `check` until it gives a value, within a generous deadline; no fixed sleeps (the one until, test/helpers/until.ts). */
const until = <T>(what: string, check: () => T | undefined, deadlineMs = DEADLINE_MS): Promise<T> => waitUntil(what, check, deadlineMs);

/** A child memory cgroup limited to 48 MiB (and memory+swap too, where swap is accounted, so the pages cannot go to swap instead). */
function makeChild(name: string): { path: string; dir: string } {
  const path = cgroupPath(name);
  const dir = join(MEMORY_MOUNT, path);
  mkdirSync(dir);
  made.push(dir);
  writeFileSync(join(dir, 'memory.limit_in_bytes'), String(LIMIT));
  if (existsSync(join(dir, 'memory.memsw.limit_in_bytes'))) writeFileSync(join(dir, 'memory.memsw.limit_in_bytes'), String(LIMIT));
  return { path, dir };
}

/** A shell in the child, waiting on stdin; a line makes it memscript writing 100 MiB (the same PID), which the kernel kills. */
async function waitingVictim(dir: string): Promise<ChildProcess> {
  const procs = join(dir, 'cgroup.procs');
  const shell = spawn('sh', ['-c', `echo $$ > '${procs}' && read go && exec '${fixtureBinary('memscript')}' w${WRITE_MIB} r`], { stdio: ['pipe', 'ignore', 'pipe'] });
  children.push(shell);
  await until('the shell in the child cgroup', () => (readFileSync(procs, 'utf8').split('\n').includes(String(shell.pid)) ? true : undefined));
  return shell;
}

function killedBySignal(child: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.signalCode);
    child.once('exit', (_code, signal) => resolve(signal));
  });
}

function removeChildren(): void {
  for (const dir of made.splice(0).reverse()) removeCgroupDir(dir);
}

function oomReports(dir: string): string[] {
  return oomReportNames(dir).map((name) => join(dir, name));
}

function victimChecks(path: string, cgroup: string, pid: number): void {
  const report = readReport(path);
  expect(report.oom).toBeDefined();
  const kill = report.oom!.kills.find((each) => each.cgroup === cgroup);
  expect(kill).toMatchObject({ cgroup, count: 1 });
  const victim = kill!.victims[0];
  // Root reads /dev/kmsg: the kernel's own line names it, with its figures at the kill (the limit caps anon-rss).
  expect(victim).toMatchObject({ pid, name: 'memscript', by: 'kernel' });
  expect(victim.kernelLine).toMatch(new RegExp(`^Memory cgroup out of memory: Killed process ${pid} \\(memscript\\) total-vm:\\d+kB, anon-rss:\\d+kB`));
  expect(victim.atKill!.anonRss).toBeGreaterThan(32 * 1024 * 1024);
  expect(victim.atKill!.anonRss).toBeLessThanOrEqual(LIMIT);
  // The report is the scan before: the shell is in it, in the group that names it.
  const holder = report.groups.find((group) => group.pids.includes(pid));
  expect(holder).toBeDefined();
  expect(victim.group).toBe(holder!.name);
  expect(Date.parse(report.time)).toBeLessThan(Date.parse(report.oom!.noticedAt));
  expect(report.oom!.machineKills).toBeGreaterThanOrEqual(1);
}

(asRoot ? describe : describe.skip)('OOM kills in a live v1 memory cgroup, noticed by watch and serve', () => {
  beforeAll(() => {
    assertBuilt();
    fixtureBinary('memscript');
  });

  afterAll(async () => {
    try {
      await stopChildren(children);
    } finally {
      removeChildren();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      removeNobodyCopy();
    }
  }, 60_000);

  test('watch: the kill is said on stderr, and the report before it is saved, naming the cgroup and the victim', async () => {
    const { path, dir } = makeChild('watch');
    const store = tempDir('footprint-oom-watch-');
    dirs.push(store);
    const shell = await waitingVictim(dir);
    const watch = spawn(process.execPath, [FOOTPRINT_BIN, 'watch', '--interval', '200ms', '--json', '--dir', store], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(watch);
    let stderr = '';
    watch.stderr!.on('data', (chunk) => { stderr += chunk; });
    // A report line that lists the shell: a scan has seen it in its cgroup.
    let pending = '';
    let seen = false;
    watch.stdout!.on('data', (chunk) => {
      pending += chunk;
      let end;
      while ((end = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 1);
        if (!seen && JSON.parse(line).groups.some((group: { pids: number[] }) => group.pids.includes(shell.pid!))) seen = true;
      }
    });
    await until('a watch report with the shell in it', () => (seen ? true : undefined));
    shell.stdin!.write('go\n');
    expect(await killedBySignal(shell)).toBe('SIGKILL');
    expect(readFileSync(join(dir, 'memory.oom_control'), 'utf8')).toMatch(/^oom_kill 1$/m);
    const line = await until('the OOM line on stderr', () => /^footprint watch: .*OOM kill.*$/m.exec(stderr)?.[0]);
    const saved = await until('the OOM report', () => (oomReports(store).length === 1 ? oomReports(store)[0] : undefined));
    expect(line).toContain(`in ${path}: PID ${shell.pid} (memscript)`);
    expect(line).toMatch(new RegExp(`; the report before it saved as ${saved.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    victimChecks(saved, path, shell.pid!);
    await stopChildren([watch], 'SIGTERM');
  }, 90_000);

  test('serve: the kill counted in footprint_oom_kills_total of the cgroup and the machine, and the report before it saved', async () => {
    const { path, dir } = makeChild('serve');
    const store = tempDir('footprint-oom-serve-');
    dirs.push(store);
    const shell = await waitingVictim(dir);
    const served = await startServe(children, ['--min-interval', '0', '--dir', store, '--cgroup-depth', String(path.split('/').length - 1)]);
    const scrape = async () => (await fetch(`${served.url}/metrics`)).text();
    const value = (text: string, series: string) => {
      const line = text.split('\n').find((each) => each.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const kills = `footprint_oom_kills_total{cgroup="${path}"}`;
    const before = await scrape();
    expect(value(before, kills)).toBe(0);
    expect(value(before, `footprint_cgroup_limit_bytes{cgroup="${path}",kind="max"}`)).toBe(LIMIT);
    const machineBefore = value(before, 'footprint_oom_kills_machine_total')!;
    // The kernel's count, read after the scrape (another kill on the machine meanwhile can only raise it).
    expect(machineBefore).toBeLessThanOrEqual(Number(/^oom_kill (\d+)$/m.exec(readFileSync('/proc/vmstat', 'utf8'))![1]));
    shell.stdin!.write('go\n');
    expect(await killedBySignal(shell)).toBe('SIGKILL');
    const after = await scrape();
    expect(value(after, kills)).toBe(1);
    expect(value(after, 'footprint_oom_kills_machine_total')).toBeGreaterThanOrEqual(machineBefore + 1);
    expect(value(after, `footprint_cgroup_peak_bytes{cgroup="${path}"}`)).toBeLessThanOrEqual(LIMIT);
    const line = await until('the OOM line on stderr', () => /^footprint serve: .*OOM kill.*$/m.exec(served.stderr())?.[0]);
    expect(line).toContain(`in ${path}: PID ${shell.pid} (memscript)`);
    const saved = oomReports(store);
    expect(saved).toHaveLength(1);
    victimChecks(saved[0], path, shell.pid!);
    // v1 counts a kill in the victim's cgroup alone: removed, its kill stays in its parent's counter while serve runs (no reset for Prometheus).
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    const parentKills = `footprint_oom_kills_total{cgroup="${parent}"}`;
    const parentBefore = value(await scrape(), parentKills)!;
    expect(parentBefore).toBeGreaterThanOrEqual(1);
    removeCgroupDir(dir);
    made.splice(made.indexOf(dir), 1);
    const gone = await scrape();
    expect(value(gone, kills)).toBeUndefined();
    expect(value(gone, parentKills)).toBeGreaterThanOrEqual(parentBefore);
  }, 90_000);

  test('watch as nobody (no /dev/kmsg): the victim is the one process gone from the cgroup since the scan before', async () => {
    const { path, dir } = makeChild('nobody');
    const store = tempDir('footprint-oom-nobody-');
    dirs.push(store);
    chownSync(store, NOBODY_UID, NOBODY_UID);
    const shell = await waitingVictim(dir);
    const command = [...AS_NOBODY, process.execPath, join(homeForNobody(), 'bin', 'footprint.js'), 'watch', '--interval', '200ms', '--json', '--dir', store];
    const watch = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    children.push(watch);
    let stderr = '';
    let reports = 0;
    watch.stderr!.on('data', (chunk) => { stderr += chunk; });
    watch.stdout!.on('data', (chunk: Buffer) => { reports += chunk.toString().split('\n').length - 1; });
    // A report printed: its scan came after the shell joined the child, and the counters were read after it.
    await until('a first watch report', () => (reports > 0 ? true : undefined));
    shell.stdin!.write('go\n');
    expect(await killedBySignal(shell)).toBe('SIGKILL');
    const line = await until('the OOM line on stderr', () => /^footprint watch: .*OOM kill.*$/m.exec(stderr)?.[0]);
    expect(line).toContain(`in ${path}: PID ${shell.pid};`);
    const saved = await until('the OOM report', () => (oomReports(store).length === 1 ? oomReports(store)[0] : undefined));
    const kill = readReport(saved).oom!.kills.find((each) => each.cgroup === path);
    // Root's shell was not measured (denied to nobody), so no group names it: the PID is what is known.
    expect(kill).toEqual({ cgroup: path, count: 1, victims: [{ pid: shell.pid, by: 'gone' }] });
    await stopChildren([watch], 'SIGTERM');
  }, 90_000);
});
