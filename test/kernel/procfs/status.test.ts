import { describe, expect, it } from '@jest/globals';
import { parseStatus, parseStatusRealUid } from '../../../src/kernel/procfs/status.js';
import { snapshotText, KIB } from '../../helpers/snapshots.js';

describe('parseStatus over captured status files', () => {
  it('an ordinary process (kernel-thread/11230, sleep): the memory lines in bytes', () => {
    // grep -E 'Name|State|Uid|Kthread|VmRSS|Rss|VmSwap' snapshots/kernel-thread/proc/11230/status
    expect(parseStatus(snapshotText('kernel-thread', '11230/status'))).toEqual({
      ok: true,
      value: {
        name: 'sleep', state: 'S', uids: [0, 0, 0, 0], kthread: false,
        vmRss: 1792 * KIB, rssAnon: 108 * KIB, rssFile: 1684 * KIB, rssShmem: 0, vmSwap: 0,
      },
    });
  });

  it('kthreadd (PID 2): Kthread 1 and no memory lines', () => {
    expect(parseStatus(snapshotText('kernel-thread', '2/status'))).toEqual({
      ok: true, value: { name: 'kthreadd', state: 'S', uids: [0, 0, 0, 0], kthread: true },
    });
  });

  it('the kernel prints a newline in Name as "\\n" (ESC raw): parsed back to the real comm', () => {
    const text = snapshotText('hostile-names', '11300/status');
    expect(text.split('\n')[0]).toBe('Name:\tevil\x1b[31m\\nname');
    const result = parseStatus(text);
    expect(result.ok && result.value.name).toBe('evil\x1b[31m\nname');
    const exe = parseStatus(snapshotText('hostile-names', '11307/status'));
    expect(exe.ok && exe.value.name).toBe('evil\x1b[31m\nsleep');
  });

  it('a backslash in Name comes back single', () => {
    const text = snapshotText('kernel-thread', '11230/status').replace('Name:\tsleep', 'Name:\ta\\\\nb');
    const result = parseStatus(text);
    expect(result.ok && result.value.name).toBe('a\\nb');
  });

  it('a Uid line with three IDs is a typed error on its own line', () => {
    const lines = snapshotText('kernel-thread', '11230/status').split('\n');
    const uidLine = lines.findIndex((line) => line.startsWith('Uid:'));
    lines[uidLine] = 'Uid:\t0\t0\t0';
    expect(parseStatus(lines.join('\n'))).toEqual({ ok: false, error: { file: 'status', line: uidLine + 1, text: 'Uid:\t0\t0\t0', reason: 'bad Uid' } });
  });

  it('a line without a colon is a typed error with its line number', () => {
    const lines = snapshotText('kernel-thread', '11230/status').split('\n');
    lines[6] = 'broken';
    const result = parseStatus(lines.join('\n'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ file: 'status', line: 7, text: 'broken' });
  });

  it.each([
    ['VmRSS:\t12x34 kB', 'bad VmRSS'],
    ['RssAnon:\t-99999 kB', 'bad RssAnon'],
    ['VmSwap:\t18446744073709551616 kB', 'bad VmSwap'],
    ['Uid:\t0\t0\t0\t-1', 'bad Uid'],
    ['Uid:\t4294967296\t0\t0\t0', 'bad Uid'],
  ])('%s is a typed error on its line, not an absent figure', (line, reason) => {
    const lines = snapshotText('kernel-thread', '11230/status').split('\n');
    const key = line.slice(0, line.indexOf(':') + 1);
    const at = lines.findIndex((l) => l.startsWith(key));
    expect(at).toBeGreaterThan(0);
    lines[at] = line;
    expect(parseStatus(lines.join('\n'))).toEqual({ ok: false, error: { file: 'status', line: at + 1, text: line, reason } });
  });

  it('status without Uid is an error', () => {
    const text = snapshotText('kernel-thread', '11230/status').split('\n').filter((line) => !line.startsWith('Uid:')).join('\n');
    const result = parseStatus(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.reason).toBe('missing Name, State or Uid');
  });
});

describe('parseStatusRealUid: the first Uid field alone', () => {
  it('agrees with parseStatus on every captured status file', () => {
    for (const [snapshot, pid] of [['kernel-thread', 11230], ['kernel-thread', 2], ['hostile-names', 11300]] as const) {
      const text = snapshotText(snapshot, `${pid}/status`);
      const full = parseStatus(text);
      expect(full.ok && parseStatusRealUid(text)).toEqual({ ok: true, value: full.ok ? full.value.uids[0] : -1 });
    }
  });

  it('the real UID where real and effective differ (a setuid program run by 1000)', () => {
    const text = snapshotText('kernel-thread', '11230/status').replace(/^Uid:.*$/m, 'Uid:\t1000\t0\t0\t0');
    expect(parseStatusRealUid(text)).toEqual({ ok: true, value: 1000 });
  });

  it('a missing or malformed Uid line is a typed error', () => {
    const text = snapshotText('kernel-thread', '11230/status');
    const lineNumber = text.split('\n').findIndex((line) => line.startsWith('Uid:')) + 1;
    expect(parseStatusRealUid(text.replace(/^Uid:.*$/m, 'Uid:\t1000\t0'))).toEqual({
      ok: false, error: { file: 'status', line: lineNumber, text: 'Uid:\t1000\t0', reason: 'bad Uid' },
    });
    expect(parseStatusRealUid('Name:\tx\n')).toMatchObject({ ok: false, error: { reason: 'no Uid line' } });
  });
});
