/**
 * Live, as root, on this machine's cgroup v1 memory controller: 20 workers in
 * one cgroup limited to 16 MiB, seen by `footprint watch`, then all made to
 * write 64 MiB at once: 20 OOM kills within a second or two. The kernel
 * prints its summary line (the one naming the victim's cgroup) for 10 in 5 s
 * and no more; the Killed line of every kill is logged. Every victim must be
 * named in watch's OOM reports, by the kernel's line, once. The test reads
 * /dev/kmsg itself too, to see that some summaries were indeed left out.
 * The cgroup and the workers are removed after, also when the test fails.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { fixtureBinary, stopChildren } from '../../helpers/liveProcesses.js';
import { assertBuilt, FOOTPRINT_BIN } from '../../helpers/runFootprint.js';
import { readReport } from '../../../src/store/readReport.js';
import { KmsgReader } from '../../../src/kernel/kmsgReader.js';
import { KernelOomLines } from '../../../src/kernel/kmsg/kernelOomLine.js';
import { canMakeMemoryCgroups, makeTop } from './liveCgroupTree.js';
import { liveLeftovers, tearDownLive } from '../../helpers/memoryCgroups.js';
import { oomReportNames } from '../../helpers/oomReports.js';
import { until as waitUntil } from '../../helpers/until.js';
import { tempDir } from '../../helpers/tempPaths.js';

const WORKERS = 20;
const DEADLINE_MS = 90_000;
const left = liveLeftovers();
let top: { path: string; dir: string } | undefined;

const until = <T>(what: string, check: () => T | undefined, pace: 'wait' | 'poll' = 'wait') => waitUntil(what, check, DEADLINE_MS, pace);

(canMakeMemoryCgroups ? describe : describe.skip)('20 OOM kills at once, the kernel\'s summaries rate-limited: all 20 named', () => {
  beforeAll(() => {
    assertBuilt();
    fixtureBinary('memscript');
    top = makeTop('footprint-oom-burst', left, 16 * 1024 * 1024);
  });

  afterAll(() => tearDownLive(left), 90_000);

  test('each victim named by its Killed line, with or without its summary, once', async () => {
    const { path, dir } = top!;
    const procs = join(dir, 'cgroup.procs');
    const workers = Array.from({ length: WORKERS }, () => {
      const shell = spawn('sh', ['-c', `echo $$ > '${procs}' && read go && exec '${fixtureBinary('memscript')}' w64`], { stdio: ['pipe', 'ignore', 'ignore'] });
      left.children.push(shell);
      return shell;
    });
    await until('the workers in the cgroup', () => {
      const members = readFileSync(procs, 'utf8').split('\n');
      return workers.every((worker) => members.includes(String(worker.pid))) ? true : undefined;
    });
    const store = tempDir('footprint-oom-burst-');
    left.dirs.push(store);
    const watch = spawn(process.execPath, [FOOTPRINT_BIN, 'watch', '--interval', '200ms', '--dir', store], { stdio: ['ignore', 'pipe', 'pipe'] });
    left.children.push(watch);
    let chunks = 0;
    watch.stdout!.on('data', () => { chunks++; });
    // Two scans printed: the counters and members were read after the first, with every worker in.
    await until('two watch reports', () => (chunks >= 2 ? true : undefined));
    const kmsg = KmsgReader.open();
    if (!kmsg.ok) throw new Error(kmsg.reason);
    const exits = workers.map((worker) => new Promise<NodeJS.Signals | null>((resolve) => worker.once('exit', (_code, signal) => resolve(signal))));
    for (const worker of workers) worker.stdin!.end('go\n');
    expect(await Promise.all(exits)).toEqual(Array(WORKERS).fill('SIGKILL'));
    const pids = workers.map((worker) => worker.pid!).sort((a, b) => a - b);
    const named = () => {
      const reports = oomReportNames(store);
      const kills = reports.flatMap((name) => readReport(join(store, name)).oom!.kills).filter((kill) => kill.cgroup === path);
      return { count: kills.reduce((sum, kill) => sum + kill.count, 0), victims: kills.flatMap((kill) => kill.victims) };
    };
    const { count, victims } = await until('20 kills in the OOM reports', () => (named().count >= WORKERS ? named() : undefined));
    expect(count).toBe(WORKERS);
    expect(victims.map((victim) => victim.pid).sort((a, b) => a - b)).toEqual(pids);
    for (const victim of victims) expect(victim).toMatchObject({ name: 'memscript', by: 'kernel' });
    // The kernel's side, as it logged it (the reader was opened before the kills): every Killed line, some without their summary.
    const lines = new KernelOomLines();
    const summarized = new Map<number, boolean>();
    kmsg.reader.drain((message, continued) => {
      const kill = lines.take(message, continued);
      if (kill !== undefined && pids.includes(kill.pid)) summarized.set(kill.pid, kill.taskMemcg !== undefined);
    });
    kmsg.reader.close();
    expect(summarized.size).toBe(WORKERS);
    expect([...summarized.values()].filter((had) => !had).length).toBeGreaterThan(0);
    await stopChildren([watch], 'SIGTERM');
  }, 240_000);
});
