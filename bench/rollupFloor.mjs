// What the kernel alone costs a whole-machine scan (issue 8), for bench/run.mjs:
// every process's stat opened and read, its smaps_rollup opened, read and closed,
// its stat read again and closed (what footprint's scan does around the kernel's
// page-table walk, nothing more), in a loop on one worker thread and split over
// two. Against one `cat` of every smaps_rollup, two threads' time is the floor
// of serve's scan on a two-CPU machine.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { median } from './median.mjs';


function readAll(pids, buffer) {
  for (const pid of pids) {
    let stat;
    try {
      stat = openSync(`/proc/${pid}/stat`, 'r');
      readSync(stat, buffer, 0, buffer.length, 0);
      const rollup = openSync(`/proc/${pid}/smaps_rollup`, 'r');
      try {
        buffer.toString('utf8', 0, readSync(rollup, buffer, 0, buffer.length, 0));
      } finally {
        closeSync(rollup);
      }
      readSync(stat, buffer, 0, buffer.length, 0);
    } catch {
      // gone, or a kernel thread: as the scan, it moves on
    } finally {
      if (stat !== undefined) closeSync(stat);
    }
  }
}

/** Medians over `rounds` of each thread's time for its share (ms). */
function loop(pids, rounds) {
  const buffer = Buffer.allocUnsafe(64 * 1024);
  readAll(pids, buffer); // warm
  const times = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    readAll(pids, buffer);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(times);
}

function onThreads(shares, rounds) {
  return Promise.all(shares.map((pids) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { pids, rounds } });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
}

/** { processes, oneMs, twoMs }: one thread's time for all, and the slower of two threads' for half each. */
export async function rollupFloor({ rounds = 15 } = {}) {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  const [oneMs] = await onThreads([pids], rounds);
  const halves = await onThreads([pids.filter((_, i) => i % 2 === 0), pids.filter((_, i) => i % 2 === 1)], rounds);
  return { processes: pids.length, oneMs, twoMs: Math.max(...halves) };
}

if (!isMainThread) parentPort.postMessage(loop(workerData.pids, workerData.rounds));
