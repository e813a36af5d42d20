import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { basename, dirname, join } from 'node:path';
import type { ScanResult } from '../model/processSample.js';
import { ProcReader } from '../kernel/procReader.js';
import { listProcesses, ScanFailure, ScanTally, type ScanOptions, type TallyPart } from './scanProcesses.js';
import { CLOSED, JOINED, JOINED_IN, NEXT, OPEN, type PartnerReply, type PartnerRequest } from './scanPartnerProtocol.js';

/** The worker's heap: a share of one scan is a few MB, all of it garbage by the next. */
const PARTNER_LIMITS = { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, stackSizeMb: 1 };

/**
 * dist/scanPartnerWorker.cjs, a bundle of the scan alone (scanPartnerWorker.ts),
 * so that the worker compiles the scan's code and not its caller's module graph.
 * This module runs from dist/chunks/ (ES module chunks) or dist/ (the CommonJS
 * bundles, which define import.meta.url as __filename).
 */
function workerFile(): string {
  const here = dirname(import.meta.url.startsWith('file:') ? fileURLToPath(import.meta.url) : import.meta.url);
  return join(basename(here) === 'chunks' ? dirname(here) : here, 'scanPartnerWorker.cjs');
}

/**
 * One worker thread that takes part in whole-machine scans: both threads claim
 * the next process from one shared counter and scan it with the same code
 * (scanOne, each with its own reader), so each process gets the same reads in
 * the same order as in a scan on one thread, and the kernel's walks of page
 * tables (most of a scan) run on two CPUs. The worker starts on the first scan
 * and lives on for the next (serve); the main thread never waits for it to
 * start: a partner that joins after the main thread has claimed every process
 * is told the scan is closed, and its empty answer is dropped.
 */
export class ScanPartner {
  private worker: Worker | undefined;
  private broken = false;
  private nextId = 0;
  private readonly pending = new Map<number, (reply: PartnerReply) => void>();

  /** `onOnline` runs once the worker is up (a worker's start resets V8's flags to the command line's: see tuneForEnduringRun). */
  constructor(private readonly onOnline?: () => void) {}

  /** Whether this machine has a second CPU for a partner to run on. */
  static helps(): boolean {
    return availableParallelism() >= 2;
  }

  async scan(reader: ProcReader, options: ScanOptions): Promise<ScanResult> {
    const started = process.hrtime.bigint();
    const tally = new ScanTally(reader, options);
    const listed = listProcesses(reader, options);
    const pids = new Int32Array(new SharedArrayBuffer(4 * listed.length));
    pids.set(listed);
    const state = new Int32Array(new SharedArrayBuffer(8));
    const asked = this.ask(reader, options, pids, state);
    let failure: unknown;
    try {
      for (let index = Atomics.add(state, NEXT, 1); index < pids.length; index = Atomics.add(state, NEXT, 1)) tally.add(pids[index]);
    } catch (error) {
      failure = error;
      Atomics.store(state, NEXT, pids.length); // the partner claims no more
    }
    // A partner still starting is shut out; one that joined is waited for, failure or not, so scans never overlap.
    const joined = Atomics.compareExchange(state, JOINED, OPEN, CLOSED) === JOINED_IN;
    if (asked !== undefined && !joined) this.drop(asked.id);
    if (asked !== undefined && joined) {
      const answer = await asked.reply;
      if (answer.kind === 'part') tally.merge(answer.part);
      else failure ??= answer.kind === 'failure' ? new ScanFailure(answer.message) : new Error(answer.message);
    }
    if (failure !== undefined) throw failure;
    tally.samples.sort((a, b) => a.pid - b.pid);
    return tally.result(started);
  }

  /** Ends the worker (the process can also just exit: it does not hold it up). */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  /**
   * Sends the scan to the partner; undefined when there is none to ask. While an
   * answer is awaited the worker holds the process up (a report awaiting it has
   * nothing else pending); otherwise it does not.
   */
  private ask(reader: ProcReader, options: ScanOptions, pids: Int32Array, state: Int32Array): { id: number; reply: Promise<PartnerReply> } | undefined {
    const worker = this.start();
    if (worker === undefined) return undefined;
    const id = this.nextId++;
    // Functions and the names kept on this thread do not cross: the partner reads its share's names itself.
    const { needsCmdline, knownNames: _knownNames, ...rest } = options;
    const request: PartnerRequest = {
      id, root: reader.root, pids, state, options: { ...rest, cmdlineOnlyForInterpreters: needsCmdline !== undefined },
    };
    const reply = new Promise<PartnerReply>((resolve) => this.pending.set(id, resolve));
    worker.ref();
    worker.postMessage(request);
    return { id, reply };
  }

  /** Forgets a request whose answer is no longer wanted (its answer, when it comes, is dropped). */
  private drop(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  private start(): Worker | undefined {
    if (this.worker !== undefined || this.broken) return this.worker;
    const worker = new Worker(workerFile(), { resourceLimits: PARTNER_LIMITS, env: SHARE_ENV });
    worker.unref();
    if (this.onOnline !== undefined) worker.once('online', this.onOnline);
    worker.on('message', (reply: PartnerReply) => {
      const resolve = this.pending.get(reply.id);
      this.drop(reply.id);
      resolve?.(reply);
    });
    // A partner that dies leaves the main thread to scan alone from then on; a scan waiting for it fails.
    const lost = (error: unknown) => {
      this.broken = true;
      this.worker = undefined;
      const message = error instanceof Error ? error.message : `the scan's worker thread exited (${String(error)})`;
      for (const [id, resolve] of this.pending) resolve({ id, kind: 'error', message });
      this.pending.clear();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => { if (this.worker === worker) lost(code); });
    this.worker = worker;
    return worker;
  }
}
