import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UnwritablePlace, kernelPlaceProblem } from './writablePlace.js';

export interface AtomicWriteOptions {
  /** The new file's mode (0o644 unless told). */
  mode?: number;
  /** The temporary file, in the target's directory: by default a hidden name beside it (`.NAME.PID-RANDOM.tmp`). */
  tempPath?: string;
  /**
   * false: not flushed to disk before it takes its place. Only for a file that is
   * checked at every use and rebuilt when wrong (the history index): a crash may
   * leave it empty, never half of one file and half of another.
   */
  flush?: boolean;
  /**
   * How the written temporary file takes its place, returning the final path: by
   * default it is renamed over `path`. The temporary file is removed after it,
   * whatever it did (a hard link to a free name leaves it behind).
   */
  putInPlace?: (tempPath: string) => string;
  /**
   * true: a device, FIFO or socket at `path` is replaced like a file (the history
   * index, in a directory of its own). Otherwise one named by the user is written
   * to (isStream). Not looked at with putInPlace.
   */
  replaceStreams?: boolean;
  /** The error to throw when the temporary file cannot be created, or written (it is removed then): by default the file system's own. */
  failed?: (step: 'create' | 'write', error: unknown) => unknown;
}

/**
 * Whether `path` is (or links to) a device, a FIFO or a socket: `--json /dev/stdout`,
 * `--textfile /dev/null`. A rename would replace the node itself with a regular
 * file (as root, /dev/null for the whole machine); such a target has no old
 * contents to keep whole, so it is simply written to, as a shell's > would.
 */
function isStream(path: string): boolean {
  try {
    const stats = statSync(path);
    return !stats.isFile() && !stats.isDirectory();
  } catch {
    return false;
  }
}

function writeInto(path: string, bytes: Buffer): void {
  const fd = openSync(path, 'w');
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or never made.
  }
}

/**
 * The one atomic writer of footprint's files (reports, the history index,
 * --json, --html, --textfile): `data` goes to a temporary file in the same
 * directory, created exclusively, flushed, and then put in place (renamed over
 * `path`): a reader sees the old file or the whole new one, never half. The
 * temporary file is removed if anything fails. A device or FIFO (isStream) is
 * written to, never replaced. A path on a kernel file system
 * (/proc, /sys) is refused as such (UnwritablePlace), not with whatever errno
 * the kernel's files give. Returns the path the file took.
 */
export function writeFileAtomically(path: string, data: string | Buffer, options: AtomicWriteOptions = {}): string {
  const problem = kernelPlaceProblem(dirname(path));
  if (problem !== undefined) throw new UnwritablePlace(problem);
  if (options.putInPlace === undefined && options.replaceStreams !== true && isStream(path)) {
    writeInto(path, typeof data === 'string' ? Buffer.from(data) : data);
    return path;
  }
  // Opened with O_EXCL ('wx'), the name need only be unlikely to be taken: no node:crypto, whose
  // load (15 modules) cost `run -- true` 2 ms (bench/overTime.mjs: 60.4 ms against 62.3).
  const temp = options.tempPath ?? join(dirname(path), `.${basename(path)}.${process.pid}-${Math.random().toString(16).slice(2, 10)}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  let fd: number;
  try {
    fd = openSync(temp, 'wx', options.mode ?? 0o644);
  } catch (error) {
    throw options.failed === undefined ? error : options.failed('create', error);
  }
  try {
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      if (options.flush !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    removeQuietly(temp);
    throw options.failed === undefined ? error : options.failed('write', error);
  }
  if (options.putInPlace !== undefined) {
    try {
      return options.putInPlace(temp);
    } finally {
      removeQuietly(temp);
    }
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
  return path;
}
