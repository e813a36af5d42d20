/**
 * Live, as root, on this machine's cgroup v1 memory controller: a child memory
 * cgroup made under the test's own (the memory line of /proc/self/cgroup), with
 * a limit, memscript inside it from its first instruction; footprint's charge,
 * parts, limit and headroom against the cgroup's own files read here. The
 * child is removed in afterAll, also when a test fails; nothing outside the
 * test's own child is touched.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { canMakeMemoryCgroups, childCgroupPath, MEMORY_MOUNT, ownMemoryCgroup, removeCgroupDir, startMemscriptIn, cgroupFigures, expectBracketed } from '../helpers/memoryCgroups.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { fixtureBinary, stopChildren } from '../helpers/liveProcesses.js';
import { assertBuilt, footprint, footprintAsNobody, removeNobodyCopy, FOOTPRINT_BIN } from '../helpers/runFootprint.js';

const LIMIT = 256 * 1024 * 1024;
const WRITE_MIB = 96;
const asRoot = canMakeMemoryCgroups;

const parent = asRoot ? ownMemoryCgroup() : '/';
const child = childCgroupPath(`footprint-test-${process.pid}`);
const childDir = join(MEMORY_MOUNT, child);
const children: ChildProcess[] = [];
let memscriptPid = 0;
/** The Private_Dirty memscript reported of itself after writing its region. */
let reportedWritable = 0;

function cgroupFile(name: string): string {
  return readFileSync(join(childDir, name), 'utf8');
}

/** The child's own figures, read here. */
function ownFigures() {
  return cgroupFigures(childDir);
}

/** Runs footprint between two reads of the child's own files; a figure that held across both must be footprint's exactly. */
function bracketed(args: string[], run = footprint) {
  const before = ownFigures();
  const result = run(args);
  const after = ownFigures();
  if (result.status !== 0) throw new Error(`footprint ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { before, after, result };
}

function removeChild(): void {
  removeCgroupDir(childDir);
}

(asRoot ? describe : describe.skip)('footprint cgroups on a live v1 memory cgroup', () => {
  beforeAll(async () => {
    assertBuilt();
    const memscript = fixtureBinary('memscript');
    mkdirSync(childDir);
    writeFileSync(join(childDir, 'memory.limit_in_bytes'), String(LIMIT));
    // The shell puts itself into the child, then becomes memscript: every page memscript touches is charged there.
    ({ pid: memscriptPid, writable: reportedWritable } = await startMemscriptIn(childDir, memscript, WRITE_MIB, children));
  }, 60_000);

  afterAll(async () => {
    try {
      await stopChildren(children);
    } finally {
      removeChild();
      removeNobodyCopy();
    }
  }, 60_000);

  test('memscript is the one member of the child, by its PID', () => {
    expect(memscriptPid).toBe(children[0].pid);
    expect(cgroupFile('cgroup.procs').trim()).toBe(String(memscriptPid));
  });

  test('one cgroup (JSON): charge, parts adding up, limit, headroom and peak against its own files', () => {
    const { before, after, result } = bracketed(['cgroups', child, '--json']);
    const document = JSON.parse(result.stdout);
    expect(document).toMatchObject({ schema: 'footprint.cgroups/1', hierarchy: { version: 1, mountPoint: MEMORY_MOUNT, root: '/' } });
    expect(document.cgroups).toHaveLength(1);
    const row = document.cgroups[0];
    expect(row).toMatchObject({ path: child, version: 1, limits: { max: LIMIT, high: null }, unreadable: [], oom: { oomKills: 0 } });
    const charge = row.charge;
    expect(charge.source).toBe('memory.stat+kmem');
    expectBracketed(charge.charge, before.charge, after.charge);
    expectBracketed(charge.counter, before.usage, after.usage);
    const parts = Object.fromEntries(charge.parts.map((part: { key: string; bytes: number }) => [part.key, part.bytes]));
    expectBracketed(parts.anon, before.rss, after.rss);
    expectBracketed(parts.kernel, before.kmem, after.kmem);
    // memscript wrote 96 MiB: its anonymous pages are charged here.
    expect(parts.anon).toBeGreaterThanOrEqual(WRITE_MIB * 1024 * 1024);
    const sum = charge.parts.reduce((total: number, part: { bytes: number }) => total + part.bytes, 0);
    expect(sum).toBe(charge.charge);
    // ... and the parts add up to the kernel's own counter within 1% (it holds the CPUs' charge batches too).
    expect(Math.abs(sum - charge.counter)).toBeLessThanOrEqual(0.01 * charge.counter);
    // The kernel holds the limit against usage_in_bytes: headroom is limit minus that counter.
    expect(row.headroom).toBe(LIMIT - charge.counter);
    expect(row.headroomPercent).toBe(Math.round(((LIMIT - charge.counter) / LIMIT) * 1000) / 10);
    expect(row.peak).toBeGreaterThanOrEqual(charge.counter);
    expect(row.peak).toBeLessThanOrEqual(Math.max(before.peak, after.peak));
    expect(charge.workingSet).toBe(charge.counter - charge.inactiveFile);
    // The processes' side: memscript alone, its Private_Dirty as it reported it.
    expect(row.held).toMatchObject({ processes: 1, measured: 1, writable: reportedWritable });
    expect(row.held.pssAnon).toBeGreaterThanOrEqual(WRITE_MIB * 1024 * 1024);
    expect(row.held.pssAnon).toBeLessThanOrEqual(parts.anon);
  });

  test('the tree lists the child under its parent with the same figures; the text view spells out the working set', () => {
    const { result } = bracketed(['cgroups', '--json']);
    const rows = JSON.parse(result.stdout).cgroups;
    const index = rows.findIndex((row: { path: string }) => row.path === child);
    expect(index).toBeGreaterThan(0);
    const parentIndex = rows.findIndex((row: { path: string }) => row.path === parent);
    expect(parentIndex).toBeLessThan(index);
    expect(rows[parentIndex].charge.charge).toBeGreaterThanOrEqual(rows[index].charge.charge);
    expect(rows[index]).toMatchObject({ limits: { max: LIMIT }, held: { processes: 1, measured: 1, writable: reportedWritable } });
    const text = footprint(['cgroups', child]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^Working set \(cAdvisor's container_memory_working_set_bytes; the kubelet's memory.available and kubectl top\): usage_in_bytes [\d.]+ MiB - inactive file [\d.]+ (KiB|MiB|B) = [\d.]+ MiB/m);
    expect(text.stdout).toMatch(/^Limit: 256\.0 MiB, soft limit none, headroom [\d.]+ MiB \(\d+\.\d%\), peak [\d.]+ MiB, OOM kills 0\.$/m);
    expect(text.stdout).toContain('Processes: 1 in this cgroup and below, 1 measured');
  });

  test('footprint is a member of its own cgroup, charged like any other, but never names itself the next victim', () => {
    // The shell prints its PID, makes itself the OOM killer's first pick (oom_score_adj 1000, inherited across exec), then becomes footprint.
    const result = spawnSync('sh', ['-c', `echo $$; echo 1000 > /proc/self/oom_score_adj; exec '${process.execPath}' '${FOOTPRINT_BIN}' cgroups --json`], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const newline = result.stdout.indexOf('\n');
    const self = Number(result.stdout.slice(0, newline));
    const rows: { path: string; nextVictim?: { pid: number | null } }[] = JSON.parse(result.stdout.slice(newline + 1)).cgroups;
    const own = rows.find((row) => row.path === parent);
    expect(own?.nextVictim).toBeDefined();
    expect(rows.map((row) => row.nextVictim?.pid).filter((pid) => pid === self)).toEqual([]);
  });

  test('as nobody: the cgroup files are world-readable, so the cgroup side is whole; root\'s process is not measured, and that is said', () => {
    const { before, after, result } = bracketed(['cgroups', child, '--json'], footprintAsNobody);
    const row = JSON.parse(result.stdout).cgroups[0];
    expectBracketed(row.charge.charge, before.charge, after.charge);
    expect(row).toMatchObject({ limits: { max: LIMIT }, unreadable: [], held: { processes: 1, measured: 0, writable: 0 } });
    expect(row.held.pssAnon).toBeUndefined();
    const text = footprintAsNobody(['cgroups', child]);
    expect(text.stdout).toContain('Processes: 1 in this cgroup and below, 0 measured: writable (Private_Dirty) 0 B');
    const listing = footprintAsNobody(['cgroups']);
    expect(listing.stdout).toMatch(/process(es)? could not be measured \(not permitted\): (its|their) writable memory is not in WRITABLE\./);
    // Its oom_score is world-readable all the same: memscript is the child's next victim, measured or not.
    expect(row.nextVictim).toEqual({ pid: memscriptPid, name: 'memscript', oomScore: Number(readFileSync(`/proc/${memscriptPid}/oom_score`, 'utf8')), scored: 1 });
    expect(listing.stdout).toMatch(new RegExp(`^ +footprint-test-${process.pid} .* 1 \\(0 measured\\) +0 B +memscript \\[${memscriptPid}\\] \\d+$`, 'm'));
  });
});
