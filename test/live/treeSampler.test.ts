/**
 * Live: the sampler finds a whole tree from its first sample, including the
 * children the root forked before that sample, and follows it as it changes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { fixtureBinary, stopChildren } from '../helpers/liveProcesses.js';
import { ProcReader } from '../../src/kernel/procReader.js';
import { TreeSampler } from '../../src/sample/treeSampler.js';

let memscript: string;
const started: ChildProcess[] = [];
/** The trees' children: a root killed leaves them orphaned (holding this runner's pipe), so each is ended by its PID too. */
const children: number[] = [];

beforeAll(() => {
  memscript = fixtureBinary('memscript');
});

afterEach(async () => {
  // Every process a test started is ended by its PID: the children first, while their root still holds their PIDs.
  for (const pid of children.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already ended (a test killed it)
    }
  }
  await stopChildren(started, 'SIGKILL');
});

function startTimeOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

/** memscript with `count` children holding 1 MiB each, once all of them have reported. */
function startTree(count: number, steps: string[] = []): Promise<{ child: ChildProcess; pids: number[] }> {
  const child = spawn(memscript, [`c${count},1,60000`, ...steps], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  let out = '';
  return new Promise((resolve) => {
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const pids = [...new Set([...out.matchAll(/^report (\d+) \d+$/gm)].map((m) => Number(m[1])))];
      if (pids.length === count + 1) {
        children.push(...pids.filter((pid) => pid !== child.pid));
        resolve({ child, pids });
      }
    });
  });
}

describe('TreeSampler', () => {
  test('the first sample finds the children forked before it, with the PIDs listed before the root started', async () => {
    const reader = new ProcReader();
    const listed = reader.listPids();
    const before = new Set(Array.isArray(listed) ? listed : []);
    const { child, pids } = await startTree(5);
    const sampler = new TreeSampler(reader, { pid: child.pid!, startTime: startTimeOf(child.pid!) }, before);
    const first = sampler.sample(0);
    expect(first.processes).toBe(6);
    expect(first.members.map((member) => member.pid).sort()).toEqual([...pids].sort());
    expect(sampler.processesSeen).toBe(6);
  });

  test('a root that is not the process it was (another start time) has no tree', async () => {
    const { child } = await startTree(2);
    const sampler = new TreeSampler(new ProcReader(), { pid: child.pid!, startTime: startTimeOf(child.pid!) - 1 });
    expect(sampler.sample(0)).toMatchObject({ processes: 0, writable: 0, members: [] });
  });

  test('children that end leave the tree at the next sample', async () => {
    const { child, pids } = await startTree(3);
    const sampler = new TreeSampler(new ProcReader(), { pid: child.pid!, startTime: startTimeOf(child.pid!) });
    expect(sampler.sample(0).processes).toBe(4);
    const gone = pids.find((pid) => pid !== child.pid)!;
    process.kill(gone, 'SIGKILL');
    // The parent reaps it (wait()): until then it is a zombie, measured as no process.
    let left = 4;
    for (let ms = 1; left !== 3 && ms < 20_000; ms += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      left = sampler.sample(ms).processes;
    }
    expect(left).toBe(3);
  });
});
