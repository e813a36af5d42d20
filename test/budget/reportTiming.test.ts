/**
 * Live: `footprint --json --timing` (issue 24, item 3): each process's exact read
 * timed, slowest first, so that an operator sees who is expensive to measure; on
 * two real processes of known memory (test/fixtures/growingHog.c). Without
 * --timing the document has no such key; without --json the option is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { fixtureBinary, stopChildren } from '../helpers/liveProcesses.js';
import { assertBuilt, runCli } from '../helpers/runFootprint.js';
import { until } from '../helpers/until.js';

describe('--timing', () => {
  const started: ChildProcess[] = [];
  const pids: number[] = [];

  beforeAll(async () => {
    assertBuilt();
    for (const mib of ['64', '0']) {
      const hog = spawn(fixtureBinary('growingHog'), [mib], { stdio: ['pipe', 'pipe', 'inherit'] });
      started.push(hog);
      let said = '';
      hog.stdout!.on('data', (chunk: Buffer) => { said += chunk.toString(); });
      pids.push(await until('growingHog ready', () => {
        const ready = new RegExp(`ready pid=(\\d+) mib=${mib}\\n`).exec(said);
        return ready === null ? undefined : Number(ready[1]);
      }, 120_000));
    }
  }, 240_000);

  afterAll(async () => {
    await stopChildren(started);
  });

  it('gives each process read exactly its read ms, slowest first', () => {
    const result = runCli(['--json', '--timing', '-p', pids.join(',')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const timing = (JSON.parse(result.stdout) as { timing: { pid: number; name: string; readMs: number }[] }).timing;
    expect(timing.map((time) => time.pid).sort((a, b) => a - b)).toEqual([...pids].sort((a, b) => a - b));
    for (const time of timing) {
      expect(time.name).toBe('growingHog');
      expect(time.readMs).toBeGreaterThan(0);
    }
    expect(timing[0].readMs).toBeGreaterThanOrEqual(timing[1].readMs);
  });

  it('is not in the document unless asked for', () => {
    const result = runCli(['--json', '-p', String(pids[0])]);
    expect(result.status).toBe(0);
    expect(Object.keys(JSON.parse(result.stdout) as object)).not.toContain('timing');
  });

  it('is refused without --json', () => {
    const result = runCli(['--timing', '-p', String(pids[0])]);
    expect(result.stderr).toBe('footprint: --timing: with --json (the times go in its "timing")\n');
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  });
});
