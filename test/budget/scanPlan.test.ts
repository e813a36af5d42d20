/**
 * The scan under a read budget's plan (src/scan/scanPlan.ts), on the captured
 * tree snapshots/node-many-mappings (two python3 processes, 11163 and 11165):
 * a process the plan skips is carried forward from its status, or taken from
 * status where it has no exact read; one it reads is read exactly, timed, and
 * stamped when read; one it does not list (started after its stat pass, or a PID
 * whose start time is not the plan's: another process) is new, read exactly up to
 * the plan's bound and from status over it; without a plan the samples are as a
 * one-shot report has them.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ProcReader } from '../../src/kernel/procReader.js';
import { parseSmapsRollup } from '../../src/kernel/procfs/smapsRollup.js';
import { readAheadOptionsFor, scanProcesses, type ScanOptions } from '../../src/scan/scanProcesses.js';
import type { PlannedRead, PlannedSkip, ScanPlan } from '../../src/scan/scanPlan.js';
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

/** stat's RSS of 11163, in pages (field 24). */
const RSS_PAGES_11163 = 10070;

/** A plan made now, at 10 s on its clock: it skips `skip`, reads `read` (PID → start time, or the planned read); what it does not list is read up to `newOverRssPages`. */
function planOf(skip: [number, PlannedSkip][], read: [number, number | PlannedRead][] = [], newOverRssPages = Infinity): ScanPlan {
  const reads = new Map(read.map(([pid, planned]) => [pid, typeof planned === 'number' ? { startTime: planned, small: false } : planned]));
  return { nowMs: 10_000, nowNs: process.hrtime.bigint(), skip: new Map(skip), read: reads, newOverRssPages, inLineFromRssPages: 0 };
}

/** The scan's samples by PID, and how long the scan took (ms): what a stamp made during it may add to the plan's time. */
function scanTimed(plan?: ScanPlan) {
  const started = process.hrtime.bigint();
  const result = scanProcesses(new ProcReader(ROOT), plan === undefined ? OPTIONS : { ...OPTIONS, plan });
  const tookMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { samples: new Map(result.samples.map((sample) => [sample.pid, sample])), tookMs };
}

const scan = (plan?: ScanPlan) => scanTimed(plan).samples;

describe('a scan with a plan', () => {
  it('carries a skipped process forward from status, and reads, times and stamps the one it reads', () => {
    const plan = planOf([[11165, { startTime: START_TIME, exact: exactOf11165() }]], [[11163, START_TIME]]);
    const { samples, tookMs } = scanTimed(plan);
    const carried = samples.get(11165)!;
    expect(carried.basis).toBe('carried');
    // Its age as it is carried: 6 s at the plan's time, and what the scan took until then.
    expect(carried.exactAgeMs).toBeGreaterThanOrEqual(6_000);
    expect(carried.exactAgeMs).toBeLessThanOrEqual(6_000 + tookMs);
    expect(carried.readMs).toBeUndefined();
    expect(carried.estimated).toBe(false);
    // Private_Dirty 4,056 kB as last read, and the 1 MiB RssAnon grew by since.
    expect(carried.counters.privateDirty).toBe(4056 * KIB + MIB);
    expect(carried.counters.anonymous).toBe(3800 * KIB + MIB);
    const read = samples.get(11163)!;
    expect(read.basis).toBe('exact');
    expect(read.exactAgeMs).toBe(0);
    expect(read.readMs).toBeGreaterThanOrEqual(0);
    // Stamped when it was read, on the plan's clock: not before the plan, not after the scan.
    expect(read.readAtMs).toBeGreaterThanOrEqual(10_000);
    expect(read.readAtMs).toBeLessThanOrEqual(10_000 + tookMs);
    expect(read.counters).toEqual(rollupOf(11163));
  });

  it('reads a process it does not list (new since its stat pass) up to its bound, and takes one over it from status', () => {
    const within = scan(planOf([], [], RSS_PAGES_11163)).get(11163)!;
    expect(within.basis).toBe('exact');
    expect(within.counters).toEqual(rollupOf(11163));
    const over = scan(planOf([], [], RSS_PAGES_11163 - 1)).get(11163)!;
    expect(over.basis).toBe('status');
    expect(over.estimated).toBe(true);
    expect(over.readMs).toBeUndefined();
    // A process the plan reads over the bound (refresh, moved) is read, whatever the bound for the unlisted says.
    expect(scan(planOf([], [[11163, START_TIME]], 0)).get(11163)!.basis).toBe('exact');
  });

  it('reads a process planned within the bound, unless it has grown past the bound since: then carried, not read at its new size', () => {
    const small = (exact?: ExactRead): PlannedRead => (exact === undefined ? { startTime: START_TIME, small: true } : { startTime: START_TIME, small: true, exact });
    // 11165's stat says 2,504 pages.
    expect(scan(planOf([], [[11165, small(exactOf11165())]], 2504)).get(11165)!.basis).toBe('exact');
    const grown = scan(planOf([], [[11165, small(exactOf11165())]], 2503)).get(11165)!;
    expect(grown.basis).toBe('carried');
    expect(grown.readMs).toBeUndefined();
    expect(grown.counters.privateDirty).toBe(4056 * KIB + MIB);
    const grownNew = scan(planOf([], [[11165, small()]], 2503)).get(11165)!;
    expect(grownNew.basis).toBe('status');
  });

  it('takes a skipped process with no exact read from status, marked estimated', () => {
    const sample = scan(planOf([[11165, { startTime: START_TIME }]])).get(11165)!;
    expect(sample.basis).toBe('status');
    expect(sample.exactAgeMs).toBeUndefined();
    expect(sample.estimated).toBe(true);
    expect(sample.counters.privateDirty).toBe(3800 * KIB);
    expect(sample.counters.pss).toBe((3800 + 6116 + 256) * KIB);
  });

  it('takes a PID whose start time is not the plan\'s as another process, new: read within the bound, from status over it', () => {
    const sample = scan(planOf([[11165, { startTime: START_TIME + 1, exact: exactOf11165() }]])).get(11165)!;
    expect(sample.basis).toBe('exact');
    expect(sample.counters).toEqual(rollupOf(11165));
    const over = scan(planOf([[11165, { startTime: START_TIME + 1, exact: exactOf11165() }]], [], 0)).get(11165)!;
    expect(over.basis).toBe('status');
    expect(over.counters.privateDirty).toBe(3800 * KIB);
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
    expect(readAheadOptionsFor({ ...OPTIONS, plan: { ...planOf([]), skip } }).skipRollup).toBe(skip);
    expect(readAheadOptionsFor(OPTIONS).skipRollup).toBeUndefined();
  });
});
