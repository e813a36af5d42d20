import { ProcReader } from './procReader.js';
import { LIVE_PROC } from './livePaths.js';

/** A reader of the live /proc: this one where it is that (serve scans often: no second buffer each time). */
export function liveReader(reader?: ProcReader): ProcReader {
  return reader?.root === LIVE_PROC ? reader : new ProcReader(LIVE_PROC);
}

/**
 * The live /proc/self/mountinfo (this mount namespace's mounts), read bounded
 * like every /proc file; undefined where it cannot be read. A report reads it
 * once, for both what hides processes (procHiding) and where the memory cgroup
 * hierarchy is mounted (findHierarchy).
 */
export function readLiveMountinfo(reader?: ProcReader): string | undefined {
  const text = liveReader(reader).read('self/mountinfo');
  return text.ok ? text.text : undefined;
}
