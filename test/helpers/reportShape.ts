import { expect } from '@jest/globals';
import type { Report } from './runFootprint.js';

const FIGURES = ['writable', 'privateClean', 'private', 'shared', 'ram', 'pss', 'rss', 'swap'] as const;
const TOTALS = ['writable', 'private', 'shared', 'ram', 'pss', 'rss', 'swap'] as const;

function isByteCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * What any footprint.report/1 document must satisfy, whoever ran it on
 * whatever machine: only well-formed figures, and every skip counted.
 * `selfLeftOut`: a live whole-machine scan counts footprint's own PID in seen.
 */
export function expectWellFormed(report: Report, selfLeftOut: boolean): void {
  expect(report.schema).toBe('footprint.report/1');
  const { scan } = report;
  for (const key of ['seen', 'measured', 'kernelThreads', 'denied', 'gone', 'zombies', 'estimated', 'ms'] as const) {
    expect(isByteCount(scan[key])).toBe(true);
  }
  expect(scan.seen).toBe(scan.measured + scan.kernelThreads + scan.zombies + scan.denied + scan.gone + (selfLeftOut ? 1 : 0));
  expect(scan.estimated).toBeLessThanOrEqual(scan.denied);

  const seenPids = new Set<number>();
  let processes = 0;
  let estimatedProcesses = 0;
  for (const group of report.groups) {
    for (const key of FIGURES) {
      if (!isByteCount(group[key])) throw new Error(`group ${JSON.stringify(group.name)}: ${key} = ${group[key]} is not a non-negative integer`);
    }
    expect(typeof group.name).toBe('string');
    expect(group.count).toBe(group.pids.length);
    expect(group.count).toBeGreaterThan(0);
    for (const pid of group.pids) {
      expect(Number.isSafeInteger(pid) && pid > 0).toBe(true);
      expect(seenPids.has(pid)).toBe(false);
      seenPids.add(pid);
    }
    expect(group.private).toBeLessThanOrEqual(group.ram);
    expect(group.writable).toBeLessThanOrEqual(group.private);
    expect(group.privateClean).toBeLessThanOrEqual(group.private);
    expect(group.shared).toBe(group.ram - group.private);
    expect(typeof group.estimated).toBe('boolean');
    processes += group.count;
    if (group.estimated) estimatedProcesses += group.count;
  }
  // Every measured or estimated process is in exactly one group.
  expect(processes).toBe(scan.measured + scan.estimated);
  // Estimates never share a group with measurements.
  expect(estimatedProcesses).toBe(scan.estimated);

  for (const key of TOTALS) {
    expect(isByteCount(report.totals[key])).toBe(true);
    expect(report.totals[key]).toBe(report.groups.reduce((sum, g) => sum + g[key], 0));
  }
  for (const key of ['memTotal', 'memAvailable', 'used', 'shmem', 'accounted'] as const) {
    expect(isByteCount(report.system[key])).toBe(true);
  }
}
