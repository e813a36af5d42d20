/**
 * Issue 20, part 2, the cgroup side: a captured memory hierarchy is read only
 * inside itself. A real capture (`footprint capture DIR --pid P`, P memscript
 * in a child memory cgroup of the test's own, made here and removed after) is
 * copied, handed to user nobody, and nobody plants links in it for real: a
 * cgroup's memory.stat to a root-only secret, its cgroup.procs to a file
 * outside, the cgroup's directory to the live cgroup, DIR/cgroup itself, and
 * proc/self/mountinfo. Root replays it: no secret shown, the cgroup's figure
 * unknown and the refusal said, every other cgroup exactly as before, exit 0.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AS_NOBODY, fixtureBinary, NOBODY_UID, stopChildren } from '../helpers/liveProcesses.js';
import { canMakeMemoryCgroups, childCgroupPath, MEMORY_MOUNT, removeCgroupDir, startMemscriptIn, statField } from '../helpers/memoryCgroups.js';
import { runCli } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

const SECRET = `footprint-secret-${process.pid}-${Date.now()}`;
const child = childCgroupPath(`footprint-capture-links-${process.pid}`);
const childDir = join(MEMORY_MOUNT, child);
const children: ChildProcess[] = [];
const REFUSED = 'is a symbolic link; a captured tree is read only inside itself';
let memscriptPid = 0;
let captured: string;
let secretDir: string;
let secretFile: string;
let work: string;

interface CgroupRow {
  path: string;
  unreadable: string[];
  charge?: { charge: number };
  held?: { processes: number };
}

/**
 * Leaves in a captured hierarchy only the cgroups from its top down to the
 * test's child (`names`): what other work on the machine had made at that
 * moment is not this test's, and thousands of them would only slow it.
 */
function keepOnlyThePathTo(dir: string, names: string[]): void {
  if (names.length === 0) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== names[0]) rmSync(join(dir, entry.name), { recursive: true, force: true });
  }
  keepOnlyThePathTo(join(dir, names[0]), names.slice(1));
}

(canMakeMemoryCgroups ? describe : describe.skip)('a captured cgroup hierarchy with links planted by nobody', () => {
  beforeAll(async () => {
    mkdirSync(childDir);
    ({ pid: memscriptPid } = await startMemscriptIn(childDir, fixtureBinary('memscript'), 8, children));
    captured = tempDir('footprint-cgroup-links-');
    const capture = runCli(['capture', captured, '--pid', String(memscriptPid), '-q']);
    expect(capture).toMatchObject({ status: 0, stderr: '' });
    keepOnlyThePathTo(join(captured, 'cgroup'), child.split('/').filter((name) => name !== ''));
    secretDir = tempDir('footprint-secret-');
    secretFile = join(secretDir, 'secret');
    // Lines a parser would quote back if it ever read them ("expected key value: ...").
    writeFileSync(secretFile, `${SECRET}\nrss ${SECRET}\n`, { mode: 0o600 });
    work = tempDir('footprint-cgroup-links-work-');
    chmodSync(work, 0o755);
  }, 60_000);

  afterAll(async () => {
    try {
      await stopChildren(children);
    } finally {
      removeCgroupDir(childDir);
      for (const dir of [captured, secretDir, work]) if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  let copies = 0;

  /** A fresh copy of the whole capture (proc and cgroup), owned by nobody. */
  function nobodysCopy(): string {
    const dir = join(work, `copy-${copies++}`);
    cpSync(captured, dir, { recursive: true, verbatimSymlinks: true });
    expect(spawnSync('chown', ['-R', `${NOBODY_UID}:${NOBODY_UID}`, dir]).status).toBe(0);
    return dir;
  }

  /** nobody replaces `relative` in the copy with a symbolic link to `target`, for real. */
  function plantLink(dir: string, relative: string, target: string): void {
    const result = spawnSync(AS_NOBODY[0], [...AS_NOBODY.slice(1), 'sh', '-c', `rm -rf '${dir}/${relative}' && ln -s '${target}' '${dir}/${relative}'`], { encoding: 'utf8' });
    expect(result).toMatchObject({ status: 0, stderr: '' });
  }

  function run(args: string[]) {
    const result = runCli(args);
    expect(result.stdout).not.toContain(SECRET);
    expect(result.stderr).not.toContain(SECRET);
    return result;
  }

  function cgroupRows(dir: string): CgroupRow[] {
    const result = run(['cgroups', '--proc-root', join(dir, 'proc'), '--json']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    return JSON.parse(result.stdout).cgroups;
  }

  /** The child's charge as the capture holds it: total_rss + total_cache of memory.stat + kmem. */
  function capturedCharge(): number {
    const file = (name: string) => readFileSync(join(captured, 'cgroup', child, name), 'utf8');
    return statField(file('memory.stat'), 'total_rss') + statField(file('memory.stat'), 'total_cache') + Number(file('memory.kmem.usage_in_bytes'));
  }

  const rowOf = (rows: CgroupRow[], path: string) => rows.find((row) => row.path === path);
  const without = (rows: CgroupRow[], path: string) => rows.filter((row) => row.path !== path);

  it('the capture as written: the child holds memscript, its charge exactly the captured files\'', () => {
    const rows = cgroupRows(captured);
    expect(rowOf(rows, child)).toMatchObject({ unreadable: [], charge: { charge: capturedCharge() }, held: { processes: 1, measured: 1 } });
  });

  it('memory.stat linked to a root-only secret: refused, the charge unknown and said so; every other cgroup as before', () => {
    const clean = cgroupRows(captured);
    const dir = nobodysCopy();
    plantLink(dir, `cgroup${child}/memory.stat`, secretFile);
    const rows = cgroupRows(dir);
    const row = rowOf(rows, child)!;
    expect(row.unreadable).toEqual([`memory.stat: cgroup${child}/memory.stat ${REFUSED}`]);
    expect(row.charge).toBeUndefined();
    expect(without(rows, child)).toEqual(without(clean, child));
    // The report's cgroup columns say it too, and go on.
    const report = run(['--proc-root', join(dir, 'proc'), '--group', 'cgroup']);
    expect(report.status).toBe(0);
    expect(report.stdout).toContain(`the first: memory.stat: cgroup${child}/memory.stat ${REFUSED}.`);
  });

  it('cgroup.procs linked to a file outside: its members are not taken from it', () => {
    const outside = join(work, `procs-${copies}`);
    writeFileSync(outside, '1\n');
    const dir = nobodysCopy();
    plantLink(dir, `cgroup${child}/cgroup.procs`, outside);
    const row = rowOf(cgroupRows(dir), child)!;
    expect(row.unreadable).toEqual([`cgroup.procs: cgroup${child}/cgroup.procs ${REFUSED}`]);
    expect(row.charge).toEqual(expect.objectContaining({ charge: capturedCharge() }));
  });

  it('the cgroup\'s directory linked to the live cgroup: never walked, and asked for by name it is refused', () => {
    const clean = cgroupRows(captured);
    const dir = nobodysCopy();
    plantLink(dir, `cgroup${child}`, childDir);
    expect(cgroupRows(dir)).toEqual(without(clean, child).map((row) => expect.objectContaining({ path: row.path })));
    // memscript's own cgroup, from its captured /proc/PID/cgroup, for the report's cgroup column.
    const report = run(['--proc-root', join(dir, 'proc'), '--group', 'cgroup', '--json']);
    expect(report.status).toBe(0);
    const group = JSON.parse(report.stdout).groups.find((row: { pids: number[] }) => row.pids.includes(memscriptPid));
    expect(group.cgroup).toEqual({ path: child, version: 1, unknown: [`cgroup ${child}: cgroup${child} ${REFUSED}`] });
  });

  it('a captured /proc/PID/cgroup naming a path with .. out of the hierarchy: refused, nothing outside read', () => {
    const dir = nobodysCopy();
    // A "cgroup" beside the capture, with a memory.stat of its own that a climb out would reach.
    mkdirSync(join(work, 'outside'), { recursive: true });
    writeFileSync(join(work, 'outside', 'memory.stat'), `rss ${SECRET}\n`);
    const climb = `/../../outside`;
    const cgroupFile = join(dir, 'proc', String(memscriptPid), 'cgroup');
    writeFileSync(cgroupFile, readFileSync(cgroupFile, 'utf8').replace(/^(\d+:[^:\n]*\bmemory\b[^:\n]*:).*$/m, `$1${climb}`));
    const report = run(['--proc-root', join(dir, 'proc'), '--group', 'cgroup', '--json']);
    expect(report.status).toBe(0);
    const group = JSON.parse(report.stdout).groups.find((row: { pids: number[] }) => row.pids.includes(memscriptPid));
    expect(group.cgroup).toEqual({ path: climb, version: 1, unknown: [`cgroup ${climb}: "cgroup${climb}" is not a path of plain names`] });
  });

  it('DIR/cgroup itself a link: refused with one line, never followed', () => {
    const dir = nobodysCopy();
    const elsewhere = join(work, `elsewhere-${copies}`);
    cpSync(join(captured, 'cgroup'), elsewhere, { recursive: true });
    plantLink(dir, 'cgroup', elsewhere);
    const result = run(['cgroups', '--proc-root', join(dir, 'proc')]);
    expect(result).toEqual({ status: 2, stdout: '', stderr: `footprint: cgroups: ${dir}/cgroup ${REFUSED}: every cgroup figure is unknown (give --cgroup-root)\n` });
  });

  it('proc/self/mountinfo linked to the secret: not read, the hierarchy taken from its top', () => {
    const dir = nobodysCopy();
    plantLink(dir, 'proc/self/mountinfo', secretFile);
    const result = run(['cgroups', '--proc-root', join(dir, 'proc'), '--json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).hierarchy).toEqual({ version: 1, mountPoint: join(dir, 'cgroup'), root: '/', offline: true });
  });

  it('--cgroup-root with its top\'s memory.stat linked out: refused there too', () => {
    const dir = nobodysCopy();
    plantLink(dir, 'cgroup/memory.stat', secretFile);
    const result = run(['cgroups', '--cgroup-root', join(dir, 'cgroup'), '--json']);
    expect(result.status).toBe(0);
    expect(rowOf(JSON.parse(result.stdout).cgroups, '/')!.unreadable).toEqual([`memory.stat: memory.stat ${REFUSED}`]);
  });
});
