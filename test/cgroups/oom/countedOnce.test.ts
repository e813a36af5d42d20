/**
 * Live, as root, on this machine's cgroup v1 memory controller: each OOM kill
 * said once, however the kill and the cgroup walk interleave. A top cgroup of
 * the test's own holds 300 child cgroups (six of them limited to 16 MiB); six kills are
 * made *inside* readings of the counters — the walk stops at a cgroup in the
 * middle of the test's ones and memscript (64 MiB) is run to its kill in a
 * child the walk has already read (three kills) or has yet to read (three),
 * so that every kill falls between the two reads of /proc/vmstat. Before the
 * fix, a kill in a child still to be read was said in its cgroup and again
 * "outside the cgroups read" at the next reading (the issue's 3 of 6). Here
 * the real counters, the real kernel lines, and OomWatch as serve and watch
 * run it; the report saved with each is a stand-in (the scan is not the point).
 * The whole machine's kills in the span are summed: other suites' kills
 * meanwhile must each be said once too. Everything made is removed after.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { fixtureBinary } from '../../helpers/liveProcesses.js';
import { group, MiB, report, tempDir } from '../../helpers/storeFixtures.js';
import { findLiveHierarchy } from '../../../src/cgroups/liveHierarchy.js';
import { OomWatch } from '../../../src/cgroups/oomWatch.js';
import { readOomCounts } from '../../../src/cgroups/readOomCounts.js';
import { ProcReader } from '../../../src/kernel/procReader.js';
import type { OomMark } from '../../../src/model/oomMark.js';
import { canMakeMemoryCgroups, limitCgroup, makeChain, makeTop } from './liveCgroupTree.js';
import { liveLeftovers, tearDownLive } from '../../helpers/memoryCgroups.js';

const CHILDREN = 300;
const KILLS = 6;
const left = liveLeftovers();
let top: { path: string; dir: string } | undefined;

const vmstatKills = () => Number(/^oom_kill (\d+)$/m.exec(readFileSync('/proc/vmstat', 'utf8'))![1]);

(canMakeMemoryCgroups ? describe : describe.skip)('six kills made inside readings of 300 cgroups: six said, each once', () => {
  beforeAll(() => {
    fixtureBinary('memscript');
    top = makeTop('footprint-oom-once', left);
    for (let index = 0; index < CHILDREN; index++) makeChain(top.dir, [Buffer.from(`c${String(index).padStart(3, '0')}`)]);
  }, 300_000);

  afterAll(() => tearDownLive(left), 300_000);

  test('in the cgroup the walk has read, and in one it has yet to read', () => {
    const { path, dir } = top!;
    const hierarchy = findLiveHierarchy();
    expect(hierarchy).toBeDefined();
    const proc = new ProcReader();
    const store = tempDir('footprint-oom-once-');
    left.dirs.push(store);
    const lines: string[] = [];
    const watch = OomWatch.start({ dir: store, who: 'footprint test', warn: (line) => lines.push(line), hierarchy });
    const marks: OomMark[] = [];
    let second = 0;
    const observe = (counts: ReturnType<typeof readOomCounts>) => {
      const scan = report(new Date(Date.UTC(2026, 11, 1, 10, 0, second++)).toISOString(), [{ ...group('worker', 60 * MiB), pids: [300] }]);
      const mark = watch.observe(scan, counts, new Date(Date.UTC(2026, 11, 1, 10, 0, second)));
      if (mark !== undefined) marks.push(mark);
      return counts;
    };
    try {
      // The walk's order (the kernel's, not by name): the middle of the test's children stops it.
      const order: string[] = [];
      const first = observe(readOomCounts(proc, hierarchy, true, (cgroup) => { if (cgroup.startsWith(`${path}/c`)) order.push(cgroup); }));
      expect(order).toHaveLength(CHILDREN);
      const stop = order[CHILDREN / 2];
      // Three children the walk reads before it stops, three after.
      const victims = [order[10], order[60], order[120], order[180], order[240], order[290]];
      for (const victim of victims) limitCgroup(join(dir, victim.slice(path.length)), 16 * MiB);
      const killed: { cgroup: string; pid: number }[] = [];
      for (let kill = 0; kill < KILLS; kill++) {
        const cgroup = victims[kill];
        observe(readOomCounts(proc, hierarchy, true, (at) => {
          if (at !== stop) return;
          const run = spawnSync('sh', ['-c', `echo $$ > '${join(dir, cgroup.slice(path.length))}/cgroup.procs' && echo $$ >&2 && exec '${fixtureBinary('memscript')}' w64`], { encoding: 'utf8', timeout: 60_000 });
          expect(run.signal).toBe('SIGKILL');
          killed.push({ cgroup, pid: Number(run.stderr.trim()) });
        }));
        // A reading with no kill: the kill carried from a walk is said there, and a victim not yet told is waited for.
        observe(readOomCounts(proc, hierarchy));
      }
      observe(readOomCounts(proc, hierarchy));
      const last = observe(readOomCounts(proc, hierarchy));
      expect(killed).toHaveLength(KILLS);
      // Each victim once, in its own cgroup, named by the kernel's line.
      for (const { cgroup, pid } of killed) {
        const said = marks.flatMap((mark) => mark.kills).filter((each) => each.cgroup === cgroup);
        expect(said).toEqual([expect.objectContaining({ cgroup, count: 1, victims: [expect.objectContaining({ pid, name: 'memscript', by: 'kernel' })] })]);
      }
      const outside = marks.flatMap((mark) => mark.kills).filter((each) => each.cgroup === undefined);
      expect(outside.flatMap((each) => each.victims.map((victim) => victim.pid)).filter((pid) => killed.some((each) => each.pid === pid))).toEqual([]);
      // Every kill on the machine from the first reading to the last, said once: the marks add up to the counter's rise.
      const said = marks.reduce((sum, mark) => sum + mark.kills.reduce((inMark, each) => inMark + each.count, 0), 0);
      expect(said).toBe(last.machine! - first.machine!);
      expect(lines.filter((line) => line.includes(path))).toHaveLength(KILLS);
      expect(vmstatKills()).toBeGreaterThanOrEqual(last.machine!);
    } finally {
      watch.close();
    }
  }, 300_000);
});
