import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UnwritablePlace, kernelPlaceProblem } from './writablePlace.js';

/**
 * Writes `data` to `path` through a temporary file in the same directory,
 * flushed and then renamed over it: a reader sees the old file or the whole new
 * one, never half. The temporary file is removed if anything fails. A path
 * on a kernel file system (/proc, /sys) is refused as such (UnwritablePlace),
 * not with whatever errno the kernel's files give.
 */
export function writeFileAtomically(path: string, data: string | Buffer): void {
  const problem = kernelPlaceProblem(dirname(path));
  if (problem !== undefined) throw new UnwritablePlace(problem);
  // Opened with O_EXCL ('wx'), the name need only be unlikely to be taken: no node:crypto, whose
  // load (15 modules) cost `run -- true` 2 ms (bench/overTime.mjs: 60.4 ms against 62.3).
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${Math.random().toString(16).slice(2, 10)}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const fd = openSync(temp, 'wx', 0o644);
  try {
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
}
