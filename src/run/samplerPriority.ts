import { setPriority } from 'node:os';

/**
 * The nice value of run's sampling thread, once CMD is running. A spike that
 * lives 40 ms is caught only if the sampler gets a core while it lives; on a
 * machine whose cores are held by CPU hogs at nice 0, a sampler at nice 0 waits
 * its turn and sees the spike after it has been freed. At −5 it is woken ahead
 * of them. Its cost stays what run budgets (a share of one core), so CMD loses
 * no more than at nice 0.
 */
export const SAMPLER_NICE = -5;

/**
 * Raises this thread (Node's main thread: the sampling loop's) to SAMPLER_NICE,
 * where allowed (root, or CAP_SYS_NICE); elsewhere it stays as it was. Called
 * after CMD is spawned: a forked child takes its nice value from the thread that
 * forks it, so CMD and its descendants keep the priority they were given.
 * Linux's setpriority(PRIO_PROCESS, 0) is per thread: libuv's pool is not raised.
 */
export function raiseSamplerPriority(): boolean {
  try {
    setPriority(0, SAMPLER_NICE);
    return true;
  } catch {
    return false;
  }
}
