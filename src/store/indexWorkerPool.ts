import { fileURLToPath } from 'node:url';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Segment, SegmentColumn } from './indexSegment.js';

/** One day for a worker to bring up to date (refreshDay's arguments). */
export interface IndexWorkerRequest {
  dir: string;
  day: string;
  names: readonly string[];
  wanted: SegmentColumn[];
  /** false: the index directory is not trusted (historyIndex.indexDirectoryProblem). */
  useIndex: boolean;
}

/**
 * A rebuilding thread holds one day: its reports parsed one at a time and the
 * day's columns. Small heaps keep the peak RSS of a year's rebuild low; the
 * young generation is where parsed reports die, so it stays small too.
 */
export const WORKER_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };

/**
 * dist/indexWorker.js, the worker's entry (src/store/indexWorker.ts), beside
 * the ES module chunks (dist/chunks/) this module is bundled into.
 */
function workerFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(basename(here) === 'chunks' ? dirname(here) : here, 'indexWorker.js');
}

/**
 * Refreshes the days of `requests` on `count` worker threads, a day at a time
 * each, and hands each segment to `onSegment` on this thread as it comes (its
 * columns' buffers moved, not copied). An exception from `onSegment`, or a
 * worker's error, ends every worker and rejects.
 */
export function refreshInWorkers(requests: readonly IndexWorkerRequest[], count: number, onSegment: (segment: Segment) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let running = count;
    let failed = false;
    const pool: Worker[] = [];
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      for (const each of pool) void each.terminate();
      reject(error);
    };
    const assign = (worker: Worker) => {
      if (failed) return;
      if (next < requests.length) {
        worker.postMessage(requests[next++]);
        return;
      }
      void worker.terminate();
      if (--running === 0) resolve();
    };
    for (let index = 0; index < count; index++) {
      const worker = new Worker(workerFile(), { resourceLimits: WORKER_LIMITS });
      pool.push(worker);
      worker.on('message', (segment: Segment) => {
        try {
          onSegment(segment);
        } catch (error) {
          fail(error);
          return;
        }
        assign(worker);
      });
      worker.on('error', fail);
      assign(worker);
    }
  });
}
