import { isNoSuchProcess } from './files/fileErrors.js';

/** Whether a PID names a process now (signal 0): a leftover's writer is gone only on ESRCH (EPERM: alive, another user's). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isNoSuchProcess(error);
  }
}
