import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BcryptReply, BcryptRequest } from './bcryptProtocol.js';

/** What became of a comparison: done, refused because too many wait, or dropped because its client left before it started. */
export type BcryptOutcome = 'match' | 'mismatch' | 'busy' | 'gone';

/** bcryptjs needs a few MB; a small heap keeps the thread's cost (~5 MB RSS) small. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, stackSizeMb: 1 };

/**
 * One thread by default: a comparison at cost 10 takes 70-250 ms of one core,
 * and this machine's other core is the scan's. At most this many wait behind
 * the ones running; more are answered at once (busy).
 */
export const BCRYPT_THREADS = 1;
export const BCRYPT_WAITING = 8;

/**
 * dist/bcryptWorker.cjs (bcryptWorker.ts), beside the ES module chunks (dist/chunks/) or the
 * CommonJS serve bundle (dist/serve.cjs, where import.meta.url is defined as __filename, a path) this module is bundled into.
 */
function workerFile(): string {
  const here = dirname(import.meta.url.startsWith('file:') ? fileURLToPath(import.meta.url) : import.meta.url);
  return join(basename(here) === 'chunks' ? dirname(here) : here, 'bcryptWorker.cjs');
}

interface Waiting {
  password: string;
  hash: string;
  signal: AbortSignal;
  settle: (outcome: BcryptOutcome | Error) => void;
  onAbort: () => void;
}

interface Lane {
  worker: Worker;
  running?: { id: number; settle: Waiting['settle'] };
}

/**
 * bcrypt comparisons off the main thread, a bounded number at once: `threads`
 * run, `maxWaiting` wait in arrival order, and a comparison whose client has
 * gone (its signal aborted) is dropped before it starts, freeing its place.
 * Threads start at the first comparison and are replaced if one dies.
 */
export class BcryptPool {
  private readonly lanes: (Lane | undefined)[];
  private readonly waiting: Waiting[] = [];
  private nextId = 1;

  constructor(threads = BCRYPT_THREADS, private readonly maxWaiting = BCRYPT_WAITING, private readonly file = workerFile()) {
    this.lanes = new Array<Lane | undefined>(threads).fill(undefined);
  }

  /** Comparisons waiting for a thread now. */
  get queued(): number {
    return this.waiting.length;
  }

  compare(password: string, hash: string, signal: AbortSignal): Promise<BcryptOutcome> {
    if (signal.aborted) return Promise.resolve('gone');
    if (this.waiting.length >= this.maxWaiting && this.freeLane() < 0) return Promise.resolve('busy');
    return new Promise<BcryptOutcome>((resolve, reject) => {
      const item: Waiting = {
        password, hash, signal,
        settle: (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)),
        onAbort: () => {
          const index = this.waiting.indexOf(item);
          if (index < 0) return;
          this.waiting.splice(index, 1);
          resolve('gone');
        },
      };
      signal.addEventListener('abort', item.onAbort, { once: true });
      this.waiting.push(item);
      this.dispatch();
    });
  }

  /** Ends the threads; comparisons waiting or running are dropped. */
  close(): void {
    for (const item of this.waiting.splice(0)) {
      item.signal.removeEventListener('abort', item.onAbort);
      item.settle('gone');
    }
    for (const [index, lane] of this.lanes.entries()) {
      if (lane === undefined) continue;
      this.lanes[index] = undefined;
      lane.running?.settle('gone');
      void lane.worker.terminate();
    }
  }

  private freeLane(): number {
    return this.lanes.findIndex((lane) => lane === undefined || lane.running === undefined);
  }

  private dispatch(): void {
    for (let index = this.freeLane(); index >= 0 && this.waiting.length > 0; index = this.freeLane()) {
      const item = this.waiting.shift()!;
      item.signal.removeEventListener('abort', item.onAbort);
      const lane = this.lanes[index] ?? this.start(index);
      const id = this.nextId++;
      lane.running = { id, settle: item.settle };
      lane.worker.postMessage({ id, password: item.password, hash: item.hash } satisfies BcryptRequest);
    }
  }

  private start(index: number): Lane {
    const worker = new Worker(this.file, { resourceLimits: WORKER_LIMITS });
    // The server keeps serve alive; this thread alone must not.
    worker.unref();
    const lane: Lane = { worker };
    this.lanes[index] = lane;
    const lost = (why: string) => {
      if (this.lanes[index] !== lane) return;
      this.lanes[index] = undefined;
      lane.running?.settle(new Error(`the bcrypt thread stopped: ${why}`));
      lane.running = undefined;
      this.dispatch();
    };
    worker.on('message', (reply: BcryptReply) => {
      const running = lane.running;
      if (running === undefined || running.id !== reply.id) return;
      lane.running = undefined;
      running.settle('error' in reply ? new Error(`bcrypt: ${reply.error}`) : reply.match ? 'match' : 'mismatch');
      this.dispatch();
    });
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`exit ${code}`));
    return lane;
  }
}
