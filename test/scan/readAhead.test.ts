/**
 * readAhead(): a scan's stat descriptors and smaps_rollup texts,
 * fetched before it in parallel, then taken by the scan's own reads, once each.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { ProcReader } from '../../src/kernel/procReader.js';
import { readAhead } from '../../src/scan/readAhead.js';
import { procRoot } from '../helpers/snapshots.js';

/** This process's descriptors open on PID/stat or PID/smaps_rollup of these PIDs (other code of the test runner opens files too). */
function openOn(pids: number[]): string[] {
  const wanted = new Set(pids.flatMap((pid) => [`/proc/${pid}/stat`, `/proc/${pid}/smaps_rollup`]));
  const targets: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (wanted.has(target)) targets.push(target);
    } catch {
      // closed meanwhile (readdir's own descriptor)
    }
  }
  return targets.sort();
}

describe('readAhead on a live /proc', () => {
  const reader = new ProcReader('/proc');
  afterEach(() => reader.releaseAhead());

  it('/proc binds files to processes; a captured tree does not', () => {
    expect(reader.bindsProcesses).toBe(true);
    expect(new ProcReader(procRoot('node-many-mappings')).bindsProcesses).toBe(false);
  });

  it("this process's smaps_rollup is read ahead, then served once; stat is held open and read when the scan opens it", async () => {
    await readAhead(reader, [process.pid]);
    expect(openOn([process.pid])).toEqual([`/proc/${process.pid}/stat`]); // held; smaps_rollup read and closed
    const ahead = reader.read(`${process.pid}/smaps_rollup`);
    expect(ahead.ok && /^Rss:\s+\d+ kB$/m.test(ahead.text)).toBe(true);
    const opened = reader.open(`${process.pid}/stat`);
    expect(opened.ok).toBe(true);
    if (!opened.ok || !opened.text.ok) throw new Error('stat not read');
    expect(opened.text.text.startsWith(`${process.pid} (`)).toBe(true);
    reader.close(opened.file);
    expect(openOn([process.pid])).toEqual([]);
  });

  it('what the scan did not take is closed by releaseAhead', async () => {
    await readAhead(reader, [process.pid, process.ppid]);
    expect(openOn([process.pid, process.ppid])).toEqual([`/proc/${process.pid}/stat`, `/proc/${process.ppid}/stat`].sort());
    reader.releaseAhead();
    expect(openOn([process.pid, process.ppid])).toEqual([]);
  });

  it('processes done before their start returns (gone at open) are started in a loop, not one inside another: 100,000 in a row', async () => {
    // PIDs past pid_max (2^22 at most): every open fails at once. Started from inside each other, they would overflow the stack.
    const gone = Array.from({ length: 100_000 }, (_, i) => 2 ** 22 + 1 + i);
    const ready: number[] = [];
    await readAhead(reader, gone, {}, (pid) => ready.push(pid));
    expect(ready).toEqual(gone);
    expect(openOn(gone.slice(0, 10))).toEqual([]);
  });

  it('a PID that does not exist leaves nothing behind, and the scan reads it itself', async () => {
    await readAhead(reader, [2 ** 22 + 1]);
    expect(openOn([2 ** 22 + 1])).toEqual([]);
    expect(reader.read(`${2 ** 22 + 1}/smaps_rollup`)).toMatchObject({ ok: false, reason: 'missing' });
  });
});

describe('readAhead on a captured tree', () => {
  it('does nothing: its files are plain files, read by the scan', async () => {
    const reader = new ProcReader(procRoot('node-many-mappings'));
    expect(reader.readsAhead).toBe(false);
    const ready: number[] = [];
    await readAhead(reader, [11163, 11165], {}, (pid) => ready.push(pid));
    expect(ready).toEqual([]);
  });
});

describe("readAhead's scan policy: what the scan will not measure is not read", () => {
  /** A process of root's that ends after readAhead: what is not read ahead can no longer be read. */
  async function aheadOfEnd(options: Parameters<typeof readAhead>[2]) {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    const pid = child.pid!;
    // Right after its exec, stat may show RSS 0 (the kernel syncs a task's RSS counters lazily): wait for its pages.
    const rssPages = () => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ')[24 - 3]);
    for (const deadline = Date.now() + 10_000; rssPages() === 0;) {
      if (Date.now() > deadline) throw new Error(`PID ${pid} shows no RSS after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const reader = new ProcReader('/proc');
    try {
      await readAhead(reader, [pid], options);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(pid, 'SIGKILL');
      await exited;
    }
    const read = (name: string) => reader.read(`${pid}/${name}`);
    const stat = reader.open(`${pid}/stat`);
    const result = { pid, status: read('status'), rollup: read('smaps_rollup'), stat: stat.ok ? stat.text : stat };
    if (stat.ok) reader.close(stat.file);
    reader.releaseAhead();
    return result;
  }

  it('-u of another user: status is read ahead (it names the owner), smaps_rollup is not', async () => {
    const { pid, status, rollup } = await aheadOfEnd({ status: true, uid: 12345 });
    expect(status.ok && status.text.startsWith('Name:\tsleep\n') && /^Uid:\t0\t/m.test(status.text)).toBe(true);
    expect(rollup).toMatchObject({ ok: false, reason: 'missing' });
    expect(pid).toBeGreaterThan(0);
  });

  it("-u of the owner: status and smaps_rollup both read ahead, still there after the process ended", async () => {
    const { status, rollup } = await aheadOfEnd({ status: true, uid: 0 });
    expect(status.ok && /^Uid:\t0\t/m.test(status.text)).toBe(true);
    expect(rollup.ok && /^Rss:\s+\d+ kB$/m.test(rollup.text)).toBe(true);
  });

  it('over the RSS ceiling: its stat (read for the RSS) is kept for the scan, smaps_rollup is not read', async () => {
    const { pid, stat, rollup } = await aheadOfEnd({ rollupMaxRssPages: 0 });
    expect(stat.ok && stat.text.startsWith(`${pid} (sleep) `)).toBe(true);
    expect(rollup).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('under the ceiling: smaps_rollup read ahead', async () => {
    const { pid, stat, rollup } = await aheadOfEnd({ rollupMaxRssPages: 1 << 30 });
    expect(stat.ok && stat.text.startsWith(`${pid} (sleep) `)).toBe(true);
    expect(rollup.ok && /^Rss:\s+\d+ kB$/m.test(rollup.text)).toBe(true);
  });
});
