/**
 * Entry of dist/indexWorker.js: a worker thread of the history index's rebuild
 * (indexWorkerPool.ts), which brings up to date each day it is sent.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { newColumnScratch } from './buildSegment.js';
import { refreshDay } from './historyIndex.js';
import type { Segment } from './indexSegment.js';
import type { IndexWorkerRequest } from './indexWorkerPool.js';

/** The columns' buffers, to move rather than copy to the main thread; each column gets a buffer of its own. */
function transferable(segment: Segment): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const column of Object.values(segment.columns)) {
    const { values } = column;
    const own = values.byteOffset === 0 && values.byteLength === values.buffer.byteLength && !buffers.includes(values.buffer as ArrayBuffer);
    column.values = own ? values : values.slice();
    buffers.push(column.values.buffer as ArrayBuffer);
  }
  return buffers;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  // This thread's column arrays, reused from day to day.
  const scratch = newColumnScratch();
  port.on('message', ({ dir, day, names, wanted, useIndex }: IndexWorkerRequest) => {
    const segment = refreshDay(dir, day, names, wanted, scratch, useIndex);
    port.postMessage(segment, transferable(segment));
  });
}
