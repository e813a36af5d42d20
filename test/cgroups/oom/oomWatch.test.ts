import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OomWatch } from '../../../src/cgroups/oomWatch.js';
import type { OomCounts } from '../../../src/cgroups/readOomCounts.js';
import { readReport } from '../../../src/store/readReport.js';
import { group, MiB, report, tempDir } from '../../helpers/storeFixtures.js';

function counts(machine: number, kills: number, procs: number[]): OomCounts {
  return { machine, cgroups: new Map([['/a', { oomKills: kills, procs }]]) };
}

function watching(dir: string) {
  const lines: string[] = [];
  const watch = new OomWatch({ dir, who: 'footprint watch', warn: (line) => lines.push(line), hierarchy: undefined });
  return { watch, lines };
}

const scan = (second: number) => report(new Date(Date.UTC(2026, 11, 1, 10, 0, second)).toISOString(), [{ ...group('worker', 60 * MiB), pids: [300] }]);

describe('OomWatch: the scan before a kill, saved once the victim can be told', () => {
  it('a rise read while the victim is still a member waits one reading; then the first scan is saved, naming it', () => {
    const dir = tempDir();
    const { watch, lines } = watching(dir);
    expect(watch.observe(scan(0), counts(0, 0, [300, 301]))).toBeUndefined();
    // Counted, but 300 has not exited yet: nothing gone, so no victim yet.
    expect(watch.observe(scan(1), counts(1, 1, [300, 301]))).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
    const mark = watch.observe(scan(2), counts(1, 1, [301]));
    expect(mark!.kills).toEqual([{ cgroup: '/a', count: 1, victims: [expect.objectContaining({ pid: 300, by: 'gone', name: 'worker' })] }]);
    const name = '2026-12-01T100000Z-oom.json.gz';
    expect(readdirSync(dir)).toEqual([name]);
    // The scan before the rise's first reading: second 0, not 1.
    expect(readReport(join(dir, name))).toMatchObject({ time: '2026-12-01T10:00:00.000Z', oom: mark });
    expect(lines).toEqual([`footprint watch: OOM kill in /a: PID 300 (worker); the report before it saved as ${join(dir, name)}\n`]);
  });

  it('a victim that cannot be told waits one reading only; the next readings compare against the new one', () => {
    const dir = tempDir();
    const { watch, lines } = watching(dir);
    watch.observe(scan(0), counts(5, 0, [300, 301, 302]));
    expect(watch.observe(scan(1), counts(6, 1, [300]))).toBeUndefined();
    expect(watch.observe(scan(2), counts(6, 1, [300]))!.kills).toEqual([{ cgroup: '/a', count: 1, victims: [], gone: [301, 302] }]);
    expect(watch.observe(scan(3), counts(6, 1, [300]))).toBeUndefined();
    expect(lines).toEqual([`footprint watch: OOM kill in /a: victim not known; the report before it saved as ${join(dir, '2026-12-01T100000Z-oom.json.gz')}\n`]);
  });

  it('a directory it cannot write into: one line, and watching goes on', () => {
    const { watch, lines } = watching('/proc/footprint-oom');
    watch.observe(scan(0), counts(0, 0, [300]));
    expect(watch.observe(scan(1), counts(1, 1, []))).toBeDefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^footprint watch: OOM kill in \/a: PID 300 \(worker\); the report before it NOT saved: cannot create report directory \/proc\/footprint-oom: /);
  });
});
