import { availableParallelism } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ProcReader } from '../kernel/procReader.js';
import type { FileUsagePart } from '../holders/fileUsage.js';
import { ScanFailure } from '../scan/readStat.js';
import { listProcesses } from '../scan/scanProcesses.js';
import { collectFiles, coverageOf, sumShare, type FilesCollection, type FilesRequest, type ShareTally } from './collectFiles.js';

/** What the main thread hands filesWorker.ts: the tree, the processes, the request, and the counter both threads claim from. */
export interface FilesWorkerData {
  root: string;
  pids: number[];
  request: FilesRequest;
  counter: SharedArrayBuffer;
}

/** filesWorker.ts's one message: its share summed, or why it could not be. */
export type FilesWorkerReply = { part: FileUsagePart; tally: ShareTally } | { failure: string; fatal: boolean };

/** The shared counter's slots: the next index to claim, and whether the worker started claiming (or the main thread closed the scan to it first). */
export const NEXT = 0;
export const STATE = 1;
export const NOT_STARTED = 0;
export const STARTED = 1;
export const CLOSED = 2;

/** Below this many processes a second thread costs more to start (a few tens of ms) than it saves. */
const SHARED_FROM = 48;

/**
 * dist/filesWorker.js, the worker's entry, beside the ES module bundles; this
 * module runs from dist/chunks/ or dist/ itself.
 */
function workerFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(basename(here) === 'chunks' ? dirname(here) : here, 'filesWorker.js');
}

/**
 * collectFiles on two threads where the machine has two CPUs: full smaps is
 * the dearest read footprint makes (the kernel walks each process's page
 * tables, and the text is ten times smaps_rollup's), so the main thread and
 * one worker claim the next process from one shared counter, each reads and
 * sums its own with the same code (sumShare), and the main thread absorbs the
 * worker's sums. Each process is read by one thread, whole, in the same way as
 * on one thread. A worker that cannot start or fails for any reason but a
 * fatal read makes the scan run again on one thread: its share is not lost.
 */
export async function collectFilesShared(reader: ProcReader, request: FilesRequest, options: { oneThread?: boolean } = {}): Promise<FilesCollection> {
  const pids = listProcesses(reader, { pids: request.pids, estimate: false, cgroups: false });
  if (options.oneThread === true || availableParallelism() < 2 || pids.length < SHARED_FROM) return collectFiles(reader, request);
  const counter = new SharedArrayBuffer(8);
  const claims = new Int32Array(counter);
  let worker: Worker;
  try {
    worker = new Worker(workerFile(), { workerData: { root: reader.root, pids, request, counter } satisfies FilesWorkerData });
  } catch {
    return collectFiles(reader, request);
  }
  // Listened to before the main thread's share blocks the event loop: what the worker says waits in the queue.
  const reply = new Promise<FilesWorkerReply>((resolve) => {
    worker.once('message', (message: FilesWorkerReply) => resolve(message));
    worker.once('error', (error) => resolve({ failure: error.message, fatal: false }));
    worker.once('exit', (code) => resolve({ failure: `the worker exited (${code})`, fatal: false }));
  });
  const mine = sumShare(reader, pids, () => Atomics.add(claims, NEXT, 1), request);
  // A worker not up by now (a loaded machine is slow to start a thread) has claimed nothing: it is not waited for.
  if (Atomics.compareExchange(claims, STATE, NOT_STARTED, CLOSED) === NOT_STARTED) {
    await worker.terminate();
    return { usage: mine.sum.result(), coverage: coverageOf([mine.tally]) };
  }
  const theirs = await reply;
  await worker.terminate();
  if ('failure' in theirs) {
    if (theirs.fatal) throw new ScanFailure(theirs.failure);
    return collectFiles(reader, request);
  }
  mine.sum.absorb(theirs.part);
  return { usage: mine.sum.result(), coverage: coverageOf([mine.tally, theirs.tally]) };
}
