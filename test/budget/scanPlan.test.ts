/**
 * The scan under a read budget's plan (src/scan/scanPlan.ts), on the captured
 * tree snapshots/node-many-mappings (two python3 processes, 11163 and 11165):
 * a process the plan skips is carried forward from its status, or taken from
 * status where it has no exact read; any other one is read exactly and timed;
 * a PID whose start time is not the plan's is another process, read exactly;
 * without a plan the samples are as a one-shot report has them.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ProcReader } from '../../src/kernel/procReader.js';
import { parseSmapsRollup } from '../../src/kernel/procfs/smapsRollup.js';
import { readAheadOptionsFor, scanProcesses, type ScanOptions } from '../../src/scan/scanProcesses.js';
import type { ScanPlan } from '../../src/scan/scanPlan.js';
import type { ExactRead } from '../../src/budget/budgetState.js';
import { procRoot } from '../helpers/snapshots.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const ROOT = procRoot('node-many-mappings');
/** stat field 22 of 11165. */
const START_TIME = 88947;
const OPTIONS: ScanOptions = { estimate: false, cgroups: false, names: false, oomScores: false };

function rollupOf(pid: number) {
  const parsed = parseSmapsRollup(readFileSync(`${ROOT}/${pid}/smaps_rollup`, 'utf8'));
  if (!parsed.ok) throw new Error('the captured rollup does not parse');
  return parsed.value;
}

/**
 * 11165's exact read 6 s before the plan, when its RssAnon was 1 MiB less than its
 * status (3,800 kB) says now and its RssFile + RssShmem (6,116 + 256 kB) the same.
 */
function exactOf11165(): ExactRead {
  const { other: _other, ...counters } = rollupOf(11165);
  return { atMs: 4_000, scan: 1, counters, cheap: { anon: 3800 * KIB - MIB, fileAndShmem: (6116 + 256) * KIB, swap: 0 } };
}

function scan(plan?: ScanPlan) {
  const result = scanProcesses(new ProcReader(ROOT), plan === undefined ? OPTIONS : { ...OPTIONS, plan });
  return new Map(result.samples.map((sample) => [sample.pid, sample]));
}

describe('a scan with a plan', () => {
  it('carries a skipped process forward from status, and reads and times the others', () => {
    const samples = scan({ nowMs: 10_000, skip: new Map([[11165, { startTime: START_TIME, exact: exactOf11165() }]]) });
    const carried = samples.get(11165)!;
    expect(carried.basis).toBe('carried');
    expect(carried.exactAgeMs).toBe(6_000);
    expect(carried.readMs).toBeUndefined();
    expect(carried.estimated).toBe(false);
    // Private_Dirty 4,056 kB as last read, and the 1 MiB RssAnon grew by since.
    expect(carried.counters.privateDirty).toBe(4056 * KIB + MIB);
    expect(carried.counters.anonymous).toBe(3800 * KIB + MIB);
    const read = samples.get(11163)!;
    expect(read.basis).toBe('exact');
    expect(read.exactAgeMs).toBe(0);
    expect(read.readMs).toBeGreaterThanOrEqual(0);
    expect(read.counters).toEqual(rollupOf(11163));
  });

  it('takes a skipped process with no exact read from status, marked estimated', () => {
    const sample = scan({ nowMs: 10_000, skip: new Map([[11165, { startTime: START_TIME }]]) }).get(11165)!;
    expect(sample.basis).toBe('status');
    expect(sample.exactAgeMs).toBeUndefined();
    expect(sample.estimated).toBe(true);
    expect(sample.counters.privateDirty).toBe(3800 * KIB);
    expect(sample.counters.pss).toBe((3800 + 6116 + 256) * KIB);
  });

  it('reads exactly a PID whose start time is not the plan\'s: another process', () => {
    const sample = scan({ nowMs: 10_000, skip: new Map([[11165, { startTime: START_TIME + 1, exact: exactOf11165() }]]) }).get(11165)!;
    expect(sample.basis).toBe('exact');
    expect(sample.counters).toEqual(rollupOf(11165));
  });

  it('leaves the samples as a one-shot report has them without a plan', () => {
    for (const sample of scan().values()) {
      expect(sample.basis).toBeUndefined();
      expect(sample.exactAgeMs).toBeUndefined();
      expect(sample.readMs).toBeUndefined();
    }
  });

  it('tells the read-ahead which rollups not to read', () => {
    const skip = new Map([[11165, { startTime: START_TIME }]]);
    expect(readAheadOptionsFor({ ...OPTIONS, plan: { nowMs: 0, skip } }).skipRollup).toBe(skip);
    expect(readAheadOptionsFor(OPTIONS).skipRollup).toBeUndefined();
  });
});
