/**
 * Live: the parts of used memory add up to used (MemTotal - MemAvailable) on this
 * machine, as root and as user nobody, and the kernel reserve is zoneinfo's;
 * the anon and shmem parts are tied to the measured processes' own rollups.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { memhogBinary, startMemhog, stopAll, type Memhog } from '../helpers/liveProcesses.js';
import { zoneReserveBytes } from '../helpers/procRead.js';
import { assertBuilt, footprint, footprintAsNobody, removeNobodyCopy, reportJson, type Report } from '../helpers/runFootprint.js';
import { whileStable } from '../helpers/stableRead.js';

interface Part { key: string; bytes: number; measured?: number }

let hog: Memhog;

beforeAll(async () => {
  assertBuilt();
  memhogBinary();
  // 8 MiB written privately and 2 MiB of MAP_SHARED anonymous memory: Pss_Anon and Pss_Shmem of its own.
  hog = await startMemhog({ privateMiB: 8, sharedMiB: 2 });
}, 30_000);

afterAll(async () => {
  await stopAll();
  removeNobodyCopy();
});

function partsOf(report: Report): Part[] {
  return (report.system as unknown as { parts: Part[] }).parts;
}

describe.each([
  ['root', footprint],
  ['nobody', footprintAsNobody],
])('as %s', (_who, run) => {
  test('the parts add up to used within 1%, and the kernel reserve is zoneinfo\'s', () => {
    const report = reportJson(run(['--json']));
    const parts = partsOf(report);
    expect(parts.map((part) => part.key)).toContain('uncounted');
    expect((report.system as Record<string, unknown>).partsUnknown).toBeUndefined();
    const sum = parts.reduce((total, part) => total + part.bytes, 0);
    expect(Math.abs(sum - report.system.used)).toBeLessThanOrEqual(report.system.used * 0.01);
    expect(parts.find((part) => part.key === 'kernelReserve')!.bytes).toBe(zoneReserveBytes());
    for (const part of parts) expect(Number.isSafeInteger(part.bytes) && part.bytes >= 0).toBe(true);
  });
});

test('-p: the anon and shmem parts say what the process holds, from its Pss_Anon and Pss_Shmem', () => {
  const { rollups: [rollup], result } = whileStable([hog.pid], () => reportJson(footprint(['--json', '-p', String(hog.pid)])),
    (report, [still]) => partsOf(report)[0].measured === still.Pss_Anon);
  const [anon, shmem] = partsOf(result);
  expect([anon.key, anon.measured]).toEqual(['anon', rollup.Pss_Anon]);
  expect([shmem.key, shmem.measured]).toEqual(['shmem', rollup.Pss_Shmem]);
  expect(rollup.Pss_Anon).toBeGreaterThanOrEqual(8 * 1024 * 1024);
  expect(rollup.Pss_Shmem).toBe(2 * 1024 * 1024);
  expect(anon.bytes).toBeGreaterThan(anon.measured!);
});
