import { describe, expect, it } from '@jest/globals';
import { isKernelThread, parseStat, parseStatUsage } from '../../../src/kernel/procfs/stat.js';
import { snapshotText, type SnapshotName } from '../../helpers/snapshots.js';

/*
 * ppid (field 4), flags (9), start time (22) and RSS in pages (24): for the plain names,
 * awk '{print $4, $9, $22, $24}' snapshots/SNAPSHOT/proc/PID/stat; for the hostile
 * names (which hold spaces, ") (" and a newline), counted by hand from the last ')'.
 * Every one of them has one thread (field 20).
 */
const STATS: [SnapshotName, number, { comm: string; state: string; ppid: number; flags: number; startTime: number; rssPages: number; kthread: boolean }][] = [
  ['kernel-thread', 2, { comm: 'kthreadd', state: 'S', ppid: 0, flags: 2129984, startTime: 19, rssPages: 0, kthread: true }],
  ['kernel-thread', 11230, { comm: 'sleep', state: 'S', ppid: 1, flags: 4194304, startTime: 89259, rssPages: 421, kthread: false }],
  // prctl(PR_SET_NAME, "a) (b c) R 1 2"): a comm that tries to forge the fields after it.
  ['hostile-names', 11302, { comm: 'a) (b c) R 1 2', state: 'S', ppid: 1, flags: 4194304, startTime: 89540, rssPages: 2370, kthread: false }],
  // prctl(PR_SET_NAME, "evil\x1b[31m\nname"): stat prints the comm raw, newline and all.
  ['hostile-names', 11300, { comm: 'evil\x1b[31m\nname', state: 'S', ppid: 1, flags: 4194304, startTime: 89539, rssPages: 2303, kthread: false }],
];

describe('parseStat over captured stat lines', () => {
  it.each(STATS)('%s PID %i', (snapshot, pid, e) => {
    const result = parseStat(snapshotText(snapshot, `${pid}/stat`));
    expect(result).toEqual({ ok: true, value: { pid, comm: e.comm, state: e.state, ppid: e.ppid, flags: e.flags, startTime: e.startTime, rssPages: e.rssPages, threads: 1 } });
    if (result.ok) expect(isKernelThread(result.value)).toBe(e.kthread);
  });

  it('a comm of ") (" and spaces does not shift the fields after it', () => {
    const line = '77 ( ) (x y) ) Z 5 77 77 0 -1 4194316 0 0 0 0 0 0 0 0 20 0 1 0 424242 0 0';
    expect(parseStat(line)).toEqual({ ok: true, value: { pid: 77, comm: ' ) (x y) ', state: 'Z', ppid: 5, flags: 4194316, startTime: 424242, rssPages: 0, threads: 1 } });
  });

  it.each([
    ['no parentheses', '123 sleep S 1 2 3', 'no "(comm)" field'],
    ['too few fields after the name', '123 (sleep) S 1 2 3', 'too few fields'],
    ['a PID that is not a number', 'x1 (sleep) S 1 11152 7052 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 1 0 89259 0 0', 'PID is not a number'],
    ['a non-numeric start time', '1 (sleep) S 1 11152 7052 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 1 0 later 0 0', 'non-numeric field'],
    // Number() takes all of these: each would have been a figure nobody measured.
    ['a negative RSS', '1 (sleep) S 1 11152 7052 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 1 0 89259 0 -99999', 'non-numeric field'],
    ['an empty field (two spaces)', '1 (sleep) S  11152 7052 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 1 0 89259 0 421', 'non-numeric field'],
    ['a start time in exponent form', '1 (sleep) S 1 11152 7052 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 1 0 1e3 0 421', 'non-numeric field'],
    ['a thread count of 12x34', '1 (sleep) S 1 11152 7052 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 12x34 0 89259 0 421', 'non-numeric field'],
    ['an RSS past 2^53', '1 (sleep) S 1 11152 7052 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 1 0 89259 0 18446744073709551616', 'non-numeric field'],
  ])('%s: typed error on line 1', (_what, line, reason) => {
    expect(parseStat(`${line}\n`)).toEqual({ ok: false, error: { file: 'stat', line: 1, text: line, reason } });
  });
});

describe('parseStatUsage: page faults and CPU time (fields 10-17)', () => {
  it('a captured line (kernel-thread/11230: minflt 126, the rest 0)', () => {
    expect(parseStatUsage(snapshotText('kernel-thread', '11230/stat'))).toEqual({
      ok: true,
      value: { minorFaults: 126, childMinorFaults: 0, majorFaults: 0, childMajorFaults: 0, userTicks: 0, systemTicks: 0, childUserTicks: 0, childSystemTicks: 0 },
    });
  });

  it('each field in its place, after a comm that holds ") "', () => {
    const line = '9 (a) b) S 1 9 9 0 -1 4194304 10 11 12 13 14 15 16 17 20 0 1 0 5000';
    expect(parseStatUsage(line)).toEqual({
      ok: true,
      value: { minorFaults: 10, childMinorFaults: 11, majorFaults: 12, childMajorFaults: 13, userTicks: 14, systemTicks: 15, childUserTicks: 16, childSystemTicks: 17 },
    });
  });

  it('too short a line is a typed error', () => {
    expect(parseStatUsage('9 (a) S 1 9 9 0 -1 4194304 10 11')).toEqual({
      ok: false, error: { file: 'stat', line: 1, text: '9 (a) S 1 9 9 0 -1 4194304 10 11', reason: 'too few fields' },
    });
  });
});
