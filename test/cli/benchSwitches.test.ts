/**
 * The bench's hidden switches, read at the command layer (src/cli/benchSwitches.ts)
 * and passed down: each on only for exactly '1', each with the effect bench/*.mjs reads.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { benchSwitches } from '../../src/cli/benchSwitches.js';
import { assertBuilt, FOOTPRINT_BIN } from '../helpers/runFootprint.js';
import { procRoot } from '../helpers/snapshots.js';

const BIN = FOOTPRINT_BIN;

function footprint(args: string[], env: Record<string, string>) {
  assertBuilt();
  const { FOOTPRINT_RUN_STATS: _r, FOOTPRINT_SCAN_THREADS: _s, FOOTPRINT_SCAN_PARTNER: _t, FOOTPRINT_SELF_REPORT: _p, ...rest } = process.env;
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...rest, ...env }, timeout: 60_000, cwd: '/' });
}

describe('benchSwitches', () => {
  test("on only for '1'", () => {
    expect(benchSwitches({})).toEqual({ runStats: false, scanOnOneThread: false, scanPartner: false, selfReport: false });
    expect(benchSwitches({ FOOTPRINT_RUN_STATS: '1', FOOTPRINT_SCAN_THREADS: '1', FOOTPRINT_SCAN_PARTNER: '1', FOOTPRINT_SELF_REPORT: '1' }))
      .toEqual({ runStats: true, scanOnOneThread: true, scanPartner: true, selfReport: true });
    expect(benchSwitches({ FOOTPRINT_RUN_STATS: 'yes', FOOTPRINT_SCAN_THREADS: '2', FOOTPRINT_SCAN_PARTNER: 'true', FOOTPRINT_SELF_REPORT: '0' }))
      .toEqual({ runStats: false, scanOnOneThread: false, scanPartner: false, selfReport: false });
  });

  test('FOOTPRINT_RUN_STATS=1: run prints one run-stats line (bench/overTime.mjs reads it) before its summary; without it, none', () => {
    const on = footprint(['run', '--', 'true'], { FOOTPRINT_RUN_STATS: '1' });
    expect(on.status).toBe(0);
    const lines = on.stderr.split('\n');
    expect(lines[0]).toMatch(/^footprint run-stats \{/);
    expect(lines[1]).toMatch(/^footprint: true exited with 0 after /);
    const stats = JSON.parse(lines[0].slice('footprint run-stats '.length)) as Record<string, number>;
    expect(Object.keys(stats)).toEqual(['samples', 'sampleMsMedian', 'sampleMsMax', 'probes', 'probeMsMedian', 'selfCpuMs', 'wallMs', 'startupMs', 'finalIntervalMs']);
    expect(stats.finalIntervalMs).toBeGreaterThanOrEqual(20);
    expect(Number.isInteger(stats.samples) && Number.isInteger(stats.probes)).toBe(true);
    const off = footprint(['run', '--', 'true'], { FOOTPRINT_RUN_STATS: '0' });
    expect(off.status).toBe(0);
    expect(off.stderr).not.toContain('run-stats');
    expect(off.stderr.split('\n')[0]).toMatch(/^footprint: true exited with 0 after /);
  });

  test("FOOTPRINT_SELF_REPORT=1: the report prints footprint's own memory after the scan (bench/run.mjs); without it, nothing on stderr", () => {
    const root = procRoot('node-many-mappings');
    const on = footprint(['--proc-root', root], { FOOTPRINT_SELF_REPORT: '1' });
    expect(on.status).toBe(0);
    expect(on.stderr).toMatch(/^footprint self-report after-scan: Rss=\d+ kB Pss=\d+ kB Private_Clean=\d+ kB Private_Dirty=\d+ kB VmHWM=\d+ kB\n$/);
    const off = footprint(['--proc-root', root], {});
    expect(off.status).toBe(0);
    expect(off.stderr).toBe('');
    // The same report, but for how long the scan took.
    const untimed = (text: string) => text.replace(/ measured in \d+ ms\./, ' measured in N ms.');
    expect(untimed(off.stdout)).toBe(untimed(on.stdout));
  });
});
