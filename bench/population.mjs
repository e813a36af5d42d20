// The bench's population: python3 processes of known shape (bench/population.py),
// started by one launcher and ended by PID (SIGTERM, then SIGKILL for any that
// linger), for bench/run.mjs and bench/cgroups.mjs alike. It also exits on its
// own when the bench dies (its stdin pipe reaches EOF).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Everything this script started and must end: the launcher, then every PID it reported. */
const started = { launcher: undefined, pids: [] };

export function isAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Ends the population by PID: SIGTERM, then SIGKILL for any that linger. Safe to call twice. */
export function endPopulation({ wait = true } = {}) {
  const pids = [...started.pids];
  if (started.launcher?.pid !== undefined) pids.push(started.launcher.pid);
  started.pids = [];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  started.launcher?.stdin?.destroy();
  started.launcher = undefined;
  if (!wait) return;
  const deadline = Date.now() + 5000;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    alive = alive.filter(isAlive);
  }
  for (const pid of alive) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

export function startPopulation(count, parents) {
  return new Promise((resolve, reject) => {
    const launcher = spawn('python3', [join(ROOT, 'bench', 'population.py'), String(count), String(parents)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    started.launcher = launcher;
    let output = '';
    const timer = setTimeout(() => reject(new Error(`population not ready after 240 s`)), 240_000);
    launcher.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // Its own listeners come off by name: removing all of a child's 'exit' listeners was seen to
    // leave a later exit unreported (Node 20, test/live/watch.test.ts).
    const onEarlyExit = (code) => {
      clearTimeout(timer);
      reject(new Error(`population launcher exited (${code}) before it was ready: ${output.trim()}`));
    };
    launcher.on('exit', onEarlyExit);
    launcher.stdout.setEncoding('utf8');
    const onData = (chunk) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.startsWith('READY ') || l.startsWith('FAILED '));
      if (line === undefined) return;
      clearTimeout(timer);
      if (line.startsWith('FAILED ')) return reject(new Error(`population: ${line}`));
      started.pids = JSON.parse(line.slice('READY '.length));
      launcher.stdout.off('data', onData);
      launcher.off('exit', onEarlyExit);
      launcher.on('exit', () => {
        // Only if it is still the one started: an earlier population's launcher may exit after the next one started.
        if (started.launcher === launcher) started.launcher = undefined;
      });
      resolve(started.pids);
    };
    launcher.stdout.on('data', onData);
  });
}

