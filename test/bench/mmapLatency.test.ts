/**
 * test/fixtures/mmapLatency.c, the big process of the stall bench (bench/stall.mjs):
 * it holds exactly SIZE of private dirty memory, closes a window on each line of
 * stdin (echoing the line as its label) or every PERIOD_MS, reports each window in
 * one line, and exits 0 when stdin reaches EOF. Real process, ended by PID.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from '@jest/globals';
import { fixtureBinary } from '../helpers/liveProcesses.js';

interface Window {
  label: string;
  probes: number;
  worstUs: number;
  totalUs: number;
  startNs: bigint;
  endNs: bigint;
}

const running: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

/** Starts mmapLatency; `next()` resolves with its next output line (waits for it, never a fixed sleep). */
function start(args: string[]): { child: ChildProcessWithoutNullStreams; next: () => Promise<string> } {
  const child = spawn(fixtureBinary('mmapLatency'), args, { stdio: ['pipe', 'pipe', 'pipe'] });
  running.push(child);
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let pending = '';
  child.stdout.setEncoding('latin1');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let end;
    while ((end = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      const waiter = waiters.shift();
      if (waiter === undefined) lines.push(line);
      else waiter(line);
    }
  });
  const next = () => new Promise<string>((resolve, reject) => {
    const line = lines.shift();
    if (line !== undefined) return resolve(line);
    const timer = setTimeout(() => reject(new Error('no line from mmapLatency within 30 s')), 30_000);
    waiters.push((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
  return { child, next };
}

function parseWindow(line: string): Window {
  const match = /^window label=(\S+) probes=(\d+) worst_us=([\d.]+) total_us=([\d.]+) start_ns=(\d+) end_ns=(\d+)$/.exec(line);
  if (match === null) throw new Error(`not a window line: ${line}`);
  return {
    label: match[1], probes: Number(match[2]), worstUs: Number(match[3]), totalUs: Number(match[4]),
    startNs: BigInt(match[5]), endNs: BigInt(match[6]),
  };
}

const privateDirtyKB = (pid: number) => Number(/^Private_Dirty:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1'))![1]);

describe('mmapLatency (the stall bench\'s big process)', () => {
  it('holds SIZE of private dirty memory, reports one window per stdin line, and exits 0 at EOF', async () => {
    const { child, next } = start(['32M']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const ready = /^ready pid=(\d+) bytes=(\d+) touch_ms=\d+$/.exec(await next());
    expect(ready).not.toBeNull();
    expect(Number(ready![1])).toBe(child.pid);
    expect(Number(ready![2])).toBe(32 << 20);
    // Exactly its 32 MiB, plus the few pages a static C program dirties (data, stack).
    const dirty = privateDirtyKB(child.pid!);
    expect(dirty).toBeGreaterThanOrEqual(32 * 1024);
    expect(dirty).toBeLessThan(32 * 1024 + 1024);

    // Windows close on each line, in order, labelled with the line (unprintable bytes and spaces as _).
    child.stdin.write('first\n');
    const first = parseWindow(await next());
    expect(first.label).toBe('first');
    const windows = [first];
    // Until a window holds probes: they run every millisecond, however slowly this machine gives it time.
    for (let round = 0; windows.at(-1)!.probes === 0; round++) {
      if (round > 600) throw new Error('no probe within 600 windows');
      await new Promise((resolve) => setTimeout(resolve, 5));
      child.stdin.write(`w${round}\n`);
      windows.push(parseWindow(await next()));
    }
    child.stdin.write('two words\ttab\n\n');
    windows.push(parseWindow(await next()), parseWindow(await next()));
    expect(windows.at(-2)!.label).toBe('two_words_tab');
    expect(windows.at(-1)!.label).toBe('-');
    for (let index = 1; index < windows.length; index++) {
      const [before, window] = [windows[index - 1], windows[index]];
      expect(window.startNs).toBe(before.endNs); // contiguous: no probe falls between two windows
      expect(window.endNs).toBeGreaterThanOrEqual(window.startNs);
      // About one probe a millisecond: a late probe can be followed by one less than 1 ms after it, never by a burst.
      expect(window.probes).toBeLessThanOrEqual(Number((window.endNs - window.startNs) / 1_000_000n) + 2);
      expect(window.worstUs).toBeLessThanOrEqual(window.totalUs);
      expect(window.worstUs * window.probes).toBeGreaterThanOrEqual(window.totalUs - 0.1 * window.probes);
      expect(window.probes === 0).toBe(window.worstUs === 0);
    }

    child.stdin.end();
    expect(await exited).toBe(0);
  });

  it('closes a window every PERIOD_MS by itself', async () => {
    const { child, next } = start(['0', '20']);
    expect(await next()).toMatch(/^ready pid=\d+ bytes=0 /);
    const periods = [parseWindow(await next()), parseWindow(await next()), parseWindow(await next())];
    for (const window of periods) {
      expect(window.label).toBe('period');
      expect(window.endNs - window.startNs).toBeGreaterThanOrEqual(20_000_000n);
      expect(window.probes).toBeGreaterThan(0);
    }
    expect(periods[1].startNs).toBe(periods[0].endNs);
    child.kill('SIGTERM');
  });

  it('refuses a SIZE or PERIOD_MS that is not a whole number, exit 2', () => {
    const binary = fixtureBinary('mmapLatency');
    for (const args of [['8X'], ['-1'], [], ['1M', 'soon']]) {
      const result = spawnSync(binary, args, { encoding: 'utf8', input: '' });
      expect({ args, status: result.status, message: result.stderr.split('\n')[0] })
        .toEqual({ args, status: 2, message: expect.stringMatching(/^mmapLatency: /) });
    }
  });
});
