/**
 * Entry of dist/filesWorker.js: the second thread of `footprint files`
 * (collectFilesShared.ts), which claims processes from the counter it shares
 * with the main thread, sums their full smaps and sends its sums back once.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ProcReader } from '../kernel/procReader.js';
import { ScanFailure } from '../scan/readStat.js';
import { sumShare } from './collectFiles.js';
import { NEXT, NOT_STARTED, STARTED, STATE, type FilesWorkerData, type FilesWorkerReply } from './collectFilesShared.js';

if (!isMainThread && parentPort) {
  const { root, pids, request, counter } = workerData as FilesWorkerData;
  const claims = new Int32Array(counter);
  let reply: FilesWorkerReply;
  // The main thread may have read every process before this thread was up: then it takes none.
  if (Atomics.compareExchange(claims, STATE, NOT_STARTED, STARTED) !== NOT_STARTED) process.exit(0);
  try {
    const { sum, tally } = sumShare(new ProcReader(root), pids, () => Atomics.add(claims, NEXT, 1), request);
    reply = { part: sum.parts(), tally };
  } catch (error) {
    reply = { failure: error instanceof Error ? error.message : String(error), fatal: error instanceof ScanFailure };
  }
  parentPort.postMessage(reply);
}
