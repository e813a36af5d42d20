import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { PeakMappings } from '../../src/model/run.js';
import { PeakMappingsPlan, readPeakMappings } from '../../src/run/peakMappings.js';
import { ProcReader } from '../../src/kernel/procReader.js';
import type { TreeSample } from '../../src/sample/treeSampler.js';

const MiB = 1024 * 1024;

const sample = (ms: number, writable: number, pid = 4242, startTime = 7): TreeSample => ({
  ms, writable, private: writable, shared: 0, ram: writable, swap: 0, rss: writable, processes: 1,
  members: [{ pid, startTime, writable, followed: false }], denied: 0,
});

const readAt = (ms: number, treeWritable: number): PeakMappings => ({ pid: 4242, name: 'memscript', ms, treeWritable, mappings: [] });

describe('PeakMappingsPlan: smaps read with the sample that holds the peak', () => {
  it('reads the first peak at once', () => {
    const plan = new PeakMappingsPlan();
    expect([plan.due(sample(20, 10 * MiB), undefined, 20, false), plan.behind]).toEqual([true, false]);
  });

  it('in a climb, puts a read off until ten times its cost has passed, and says a read is behind', () => {
    const plan = new PeakMappingsPlan();
    plan.read(100, 5);
    expect([plan.due(sample(120, 20 * MiB), readAt(100, 10 * MiB), 120, false), plan.behind]).toEqual([false, true]);
    // 50 ms after a read of 5 ms: due again.
    expect(plan.due(sample(150, 21 * MiB), readAt(100, 10 * MiB), 150, false)).toBe(true);
  });

  it('reads a put-off peak at the top of the climb, however soon after the last read: before the process can free it', () => {
    const plan = new PeakMappingsPlan();
    plan.read(100, 5);
    expect(plan.due(sample(110, 32 * MiB), readAt(100, 30 * MiB), 110, false)).toBe(false);
    expect(plan.behind).toBe(true);
    expect(plan.due(sample(112, 32 * MiB), readAt(100, 30 * MiB), 112, true)).toBe(true);
    plan.read(112, 5);
    expect(plan.behind).toBe(false);
  });

  it('does not read a level it has read already, nor a sample with no process', () => {
    const plan = new PeakMappingsPlan();
    expect(plan.due(sample(500, 32 * MiB), readAt(100, 32 * MiB), 500, true)).toBe(false);
    expect(plan.due({ ...sample(500, 0), members: [] }, undefined, 500, true)).toBe(false);
    expect(plan.behind).toBe(false);
  });

  it('over its budget (a tenth of the run beyond 250 ms) gives a read up at the top rather than trying at every probe', () => {
    const plan = new PeakMappingsPlan();
    plan.read(0, 400);
    // At 1 s the budget is 350 ms: 400 ms spent.
    expect([plan.due(sample(1000, 64 * MiB), readAt(0, 32 * MiB), 1000, false), plan.behind]).toEqual([false, true]);
    expect([plan.due(sample(1001, 64 * MiB), readAt(0, 32 * MiB), 1001, true), plan.behind]).toEqual([false, false]);
    // Later, within budget again (a tenth of 2 s plus 250 ms is 450 ms).
    expect(plan.due(sample(5000, 65 * MiB), readAt(0, 32 * MiB), 5000, false)).toBe(true);
  });

  it('once the tree has left its peak, nothing is behind: a read now would not be of the peak', () => {
    const plan = new PeakMappingsPlan();
    plan.read(100, 5);
    plan.due(sample(110, 32 * MiB), readAt(100, 30 * MiB), 110, false);
    plan.leftPeak();
    expect(plan.behind).toBe(false);
  });
});

describe('readPeakMappings', () => {
  it("reads the largest member's smaps, summed per backing, with the sample's time and figure", () => {
    const startTime = Number(readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ')[19]);
    const other = { pid: 999_999_999, startTime: 1, writable: 1, followed: false };
    const tree = { ...sample(40, 123 * MiB, process.pid, startTime), members: [other, { pid: process.pid, startTime, writable: 100 * MiB, followed: false }] };
    const read = readPeakMappings(new ProcReader(), tree)!;
    expect([read.pid, read.ms, read.treeWritable]).toEqual([process.pid, 40, 123 * MiB]);
    expect(read.mappings.length).toBeGreaterThan(0);
    expect(read.mappings.length).toBeLessThanOrEqual(8);
    for (const mapping of read.mappings) expect(mapping.writable).toBeGreaterThan(0);
  });

  it('a largest member whose PID is now another process (another start time) is not read', () => {
    const tree = sample(40, 10 * MiB, process.pid, 1);
    expect(readPeakMappings(new ProcReader(), tree)).toBeUndefined();
  });
});
