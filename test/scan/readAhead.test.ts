/**
 * ProcReader.readAhead(): a scan's stat descriptors and smaps_rollup texts,
 * fetched before it in parallel, then taken by the scan's own reads, once each.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { ProcReader } from '../../src/scan/procReader.js';
import { procRoot } from '../helpers/snapshots.js';

const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe('readAhead on a live /proc', () => {
  const reader = new ProcReader('/proc');
  afterEach(() => reader.releaseAhead());

  it('/proc binds files to processes; a captured tree does not', () => {
    expect(reader.bindsProcesses).toBe(true);
    expect(new ProcReader(procRoot('node-many-mappings')).bindsProcesses).toBe(false);
  });

  it("this process's smaps_rollup is read ahead, then served once; stat is held open and read when the scan opens it", async () => {
    const before = openDescriptors();
    await reader.readAhead([process.pid]);
    expect(openDescriptors()).toBe(before + 1); // stat, held
    const ahead = reader.read(`${process.pid}/smaps_rollup`);
    expect(ahead.ok && /^Rss:\s+\d+ kB$/m.test(ahead.text)).toBe(true);
    const opened = reader.open(`${process.pid}/stat`);
    expect(opened.ok).toBe(true);
    if (!opened.ok || !opened.text.ok) throw new Error('stat not read');
    expect(opened.text.text.startsWith(`${process.pid} (`)).toBe(true);
    reader.close(opened.file);
    expect(openDescriptors()).toBe(before);
  });

  it('what the scan did not take is closed by releaseAhead', async () => {
    const before = openDescriptors();
    await reader.readAhead([process.pid, process.ppid]);
    expect(openDescriptors()).toBe(before + 2);
    reader.releaseAhead();
    expect(openDescriptors()).toBe(before);
  });

  it('a PID that does not exist leaves nothing behind, and the scan reads it itself', async () => {
    const before = openDescriptors();
    await reader.readAhead([2 ** 22 + 1]);
    expect(openDescriptors()).toBe(before);
    expect(reader.read(`${2 ** 22 + 1}/smaps_rollup`)).toMatchObject({ ok: false, reason: 'missing' });
  });
});

describe('readAhead on a captured tree', () => {
  it('does nothing: its files are plain files, read by the scan', async () => {
    const reader = new ProcReader(procRoot('node-many-mappings'));
    const before = openDescriptors();
    await reader.readAhead([11163, 11165]);
    expect(openDescriptors()).toBe(before);
    expect(reader.aheadSince).toBeUndefined();
  });
});
