/**
 * Entry of dist/bcryptWorker.cjs: the thread that compares passwords with
 * bcrypt hashes for serve's basic auth (bcryptPool.ts), one at a time, so that
 * the main thread, which answers scrapes, never runs bcrypt.
 */
import { setPriority } from 'node:os';
import { isMainThread, parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';
import type { BcryptReply, BcryptRequest } from './bcryptProtocol.js';
import { ownThreadId } from '../kernel/threadId.js';

/**
 * This thread alone yields to the others: setpriority(2) on Linux takes a
 * thread id, which /proc/thread-self names (PID/task/TID). Guesses from
 * strangers then use what CPU the scans leave. Best effort: not fatal.
 */
function lowerOwnPriority(nice: number): void {
  const tid = ownThreadId();
  if (tid === undefined) return; // Not Linux, or no /proc: the same priority as the rest of serve.
  try {
    setPriority(tid, nice);
  } catch {
    // Not permitted: the same priority as the rest of serve.
  }
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  lowerOwnPriority(10);
  port.on('message', ({ id, password, hash }: BcryptRequest) => {
    let reply: BcryptReply;
    try {
      reply = { id, match: bcrypt.compareSync(password, hash) };
    } catch (error) {
      reply = { id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
}
