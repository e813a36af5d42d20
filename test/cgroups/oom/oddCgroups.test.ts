/**
 * Live, as root, on this machine's cgroup v1 memory controller: OOM kills in
 * cgroups that a path-by-path walk cannot read — a name of bytes that are not
 * UTF-8, a path of 4,603 bytes (over PATH_MAX), a cgroup 71 levels down
 * (past the walk's 64) — each land in their own cgroup in `footprint watch`'s
 * OOM report, named by the kernel's line, and nothing is put outside. All
 * three sit under one top cgroup of the test's own, limited to 16 MiB, where
 * memscript writes 64 MiB; the top and everything below it are removed after,
 * also when a test fails.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { fixtureBinary, stopChildren } from '../../helpers/liveProcesses.js';
import { assertBuilt, FOOTPRINT_BIN } from '../../helpers/runFootprint.js';
import { readReport } from '../../../src/store/readReport.js';
import { bytesToText } from '../../../src/kernel/kmsg/byteText.js';
import { canMakeMemoryCgroups, makeChain, makeTop, runIn } from './liveCgroupTree.js';
import { liveLeftovers, tearDownLive } from '../../helpers/memoryCgroups.js';
import { oomReportNames } from '../../helpers/oomReports.js';
import { until as waitUntil } from '../../helpers/until.js';
import { tempDir } from '../../helpers/tempPaths.js';

const LIMIT = 16 * 1024 * 1024;
const DEADLINE_MS = 60_000;
const left = liveLeftovers();
let top: { path: string; dir: string } | undefined;

const until = <T>(what: string, check: () => T | undefined, pace: 'wait' | 'poll' = 'wait') => waitUntil(what, check, DEADLINE_MS, pace);

/** The cgroups, each a chain of names under the top: a first level of ASCII (the shell's way in), then the rest. */
const ODD = [Buffer.from('odd'), Buffer.from([0x6f, 0x64, 0x64, 0xff, 0x5c, 0x2c, 0x3d, 0x20, 0xc3, 0xa9])];
const LONG = [Buffer.from('long'), ...Array.from({ length: 18 }, () => Buffer.from('L'.repeat(250)))];
const DEEP = [Buffer.from('deep'), ...Array.from({ length: 70 }, (_, level) => Buffer.from(`d${level}`))];

(canMakeMemoryCgroups ? describe : describe.skip)('OOM kills in cgroups with odd names, long paths, great depth (live v1)', () => {
  beforeAll(() => {
    assertBuilt();
    fixtureBinary('memscript');
    top = makeTop('footprint-oom-odd', left, LIMIT);
  });

  afterAll(() => tearDownLive(left), 90_000);

  test('each kill in its own cgroup, by the path of its names\' bytes; the victim named; none outside', async () => {
    const { path, dir } = top!;
    const cases = [
      { chain: ODD, text: `${path}/odd/odd\\xff\\,= é` },
      { chain: LONG, text: `${path}/${LONG.map(bytesToText).join('/')}` },
      { chain: DEEP, text: `${path}/${DEEP.map(bytesToText).join('/')}` },
    ];
    expect(Buffer.byteLength(cases[1].text)).toBeGreaterThan(4096);
    for (const { chain } of cases) makeChain(dir, chain);
    const store = tempDir('footprint-oom-odd-');
    left.dirs.push(store);
    const watch = spawn(process.execPath, [FOOTPRINT_BIN, 'watch', '--interval', '200ms', '--dir', store], { stdio: ['ignore', 'pipe', 'pipe'] });
    left.children.push(watch);
    let stderr = '';
    let chunks = 0;
    watch.stderr!.on('data', (chunk) => { stderr += chunk; });
    watch.stdout!.on('data', () => { chunks++; });
    const reports = () => oomReportNames(store);
    for (const [index, { chain, text }] of cases.entries()) {
      // A scan printed since the last kill: its counters read, the reading before the next kill.
      const printed = chunks;
      await until('a watch report', () => (chunks > printed ? true : undefined));
      // The first level by its ASCII name, then one level at a time, whatever the names' bytes.
      const victim = runIn(join(dir, chain[0].toString()), chain.length - 1, `exec '${fixtureBinary('memscript')}' w64`);
      expect(await victim.done).toBe('SIGKILL');
      const saved = await until(`OOM report ${index + 1}`, () => (reports().length === index + 1 ? reports()[index] : undefined));
      const mark = readReport(join(store, saved)).oom!;
      const kill = mark.kills.find((each) => each.cgroup === text);
      expect(kill).toMatchObject({ cgroup: text, count: 1, victims: [{ pid: victim.pid, name: 'memscript', by: 'kernel' }] });
      expect(mark.kills.filter((each) => each.cgroup === undefined)).toEqual([]);
    }
    expect(stderr).not.toMatch(/outside the cgroups read/);
    await stopChildren([watch], 'SIGTERM');
  }, 240_000);
});
