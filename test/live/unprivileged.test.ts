/**
 * Live, without root, for real: footprint run as user nobody (setpriv drops
 * uid, gid and groups), beside one process of nobody's and several of root's.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { memhogBinary, NOBODY_UID, startMemhog, stopAll, type Memhog } from '../helpers/liveProcesses.js';
import { figuresFromRollup, freePid, readStatusBytes } from '../helpers/procRead.js';
import { expectWellFormed } from '../helpers/reportShape.js';
import { assertBuilt, figuresOf, footprintAsNobody, removeNobodyCopy, reportJson } from '../helpers/runFootprint.js';
import { reportPssAgrees, whileStable } from '../helpers/stableRead.js';

let nobodys: Memhog;
let roots: Memhog[];

beforeAll(async () => {
  assertBuilt();
  memhogBinary();
  nobodys = await startMemhog({ privateMiB: 4, asNobody: true });
  // Root's own 2 MiB MAP_SHARED region shows in status as RssShmem.
  roots = await Promise.all([1, 2].map(() => startMemhog({ privateMiB: 6, sharedMiB: 2 })));
}, 30_000);

afterAll(async () => {
  await stopAll();
  removeNobodyCopy();
});

function uidOf(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}


describe('as nobody', () => {
  test('the test processes run as who they should', () => {
    expect(uidOf(nobodys.pid)).toBe(NOBODY_UID);
    for (const root of roots) expect(uidOf(root.pid)).toBe(0);
  });

  test('whole machine: exit 0, well-formed, nobody\'s process listed, root\'s skipped and counted as denied', () => {
    const result = footprintAsNobody(['--json']);
    expect(result.stderr).toBe('');
    const report = reportJson(result);
    expectWellFormed(report, true);
    const listed = new Set(report.groups.flatMap((g) => g.pids));
    expect(listed.has(nobodys.pid)).toBe(true);
    for (const root of roots) expect(listed.has(root.pid)).toBe(false);
    expect(listed.has(process.pid)).toBe(false);
    expect(report.scan.denied).toBeGreaterThanOrEqual(roots.length + 1);
    expect(report.scan.estimated).toBe(0);
    // Everything measured belongs to nobody.
    for (const pid of listed) expect(uidOf(pid)).toBe(NOBODY_UID);
  });

  test('-p: nobody\'s process has exact figures; root\'s two are denied', () => {
    const pids = [nobodys.pid, ...roots.map((r) => r.pid)];
    const { rollups: [rollup], result } = whileStable([nobodys.pid], () =>
      reportJson(footprintAsNobody(['--json', '--group', 'pid', '-p', pids.join(',')])), reportPssAgrees);
    expectWellFormed(result, false);
    expect(result.scan).toMatchObject({ seen: 3, measured: 1, denied: 2, estimated: 0, gone: 0, zombies: 0, kernelThreads: 0 });
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]).toMatchObject({ name: `memhog [${nobodys.pid}]`, pids: [nobodys.pid], estimated: false });
    expect(figuresOf(result.groups[0])).toEqual(figuresFromRollup(rollup));
    expect(result.groups[0].writable).toBeGreaterThanOrEqual(4 * 1024 * 1024);
  });

  test('text: the footer says other users\' processes were not readable and what to do', () => {
    const pids = [nobodys.pid, ...roots.map((r) => r.pid)];
    const result = footprintAsNobody(['-p', pids.join(',')]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('2 processes of other users not readable; run as root, or --estimate');
    expect(result.stdout).toContain(`memhog (1)`);
  });

  test('--estimate: root\'s processes appear, marked, with writable = RssAnon from status', () => {
    const pids = [nobodys.pid, ...roots.map((r) => r.pid)];
    const statusBefore = roots.map((r) => readStatusBytes(r.pid));
    const report = reportJson(footprintAsNobody(['--json', '--estimate', '--group', 'pid', '-p', pids.join(',')]));
    const statusAfter = roots.map((r) => readStatusBytes(r.pid));
    expect(statusAfter).toEqual(statusBefore);
    expectWellFormed(report, false);
    expect(report.scan).toMatchObject({ seen: 3, measured: 1, denied: 2, estimated: 2 });
    roots.forEach((root, i) => {
      const status = statusBefore[i];
      const group = report.groups.find((g) => g.pids[0] === root.pid)!;
      expect(group).toMatchObject({ count: 1, estimated: true });
      const shared = status.RssFile + status.RssShmem;
      expect(figuresOf(group)).toEqual({
        writable: status.RssAnon, privateClean: 0, private: status.RssAnon, shared,
        ram: status.RssAnon + shared, pss: status.RssAnon + shared, rss: status.VmRSS, swap: status.VmSwap,
      });
      expect(group.writable).toBeGreaterThanOrEqual(6 * 1024 * 1024);
      expect(status.RssShmem).toBe(2 * 1024 * 1024);
    });
    expect(report.groups.find((g) => g.pids[0] === nobodys.pid)!.estimated).toBe(false);
  });

  test('--estimate (text): each estimated row carries the ~ mark, the measured one does not', () => {
    const pids = [nobodys.pid, ...roots.map((r) => r.pid)];
    const result = footprintAsNobody(['--estimate', '--group', 'pid', '-p', pids.join(',')]);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    for (const root of roots) {
      const row = lines.find((l) => l.includes(`[${root.pid}]`))!;
      expect(row.trimStart().startsWith('~')).toBe(true);
      expect(row).toContain('estimate');
    }
    expect(lines.find((l) => l.includes(`[${nobodys.pid}]`))!).not.toContain('~');
    expect(result.stdout).toContain('estimated from /proc/PID/status (marked ~)');
  });

  test('show ROOT_PID: one line, "not permitted", exit 1', () => {
    const result = footprintAsNobody(['show', String(roots[0].pid)]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(new RegExp(`^footprint: cannot show PID ${roots[0].pid}: not permitted`));
  });

  test('show NOBODYS_PID works, and its writable equals the kernel\'s Private_Dirty', () => {
    const { rollups: [rollup], result } = whileStable([nobodys.pid], () => footprintAsNobody(['show', String(nobodys.pid), '--json']));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).writable).toBe(rollup.Private_Dirty);
  });

  test('show FREE_PID (e.g. 999999): "no such process", exit 1', () => {
    const pid = freePid();
    const result = footprintAsNobody(['show', String(pid)]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`footprint: cannot show PID ${pid}: no such process\n`);
  });
});
