import { readlinkSync } from 'node:fs';
import { LIVE_PROC } from './livePaths.js';

/**
 * The calling thread's kernel id (TID), which setpriority(2) takes on Linux:
 * /proc/thread-self names it (PID/task/TID). Undefined off Linux or without /proc.
 */
export function ownThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync(`${LIVE_PROC}/thread-self`).split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}
