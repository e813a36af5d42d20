import { closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFileKind, isAlreadyThere } from '../kernel/files/fileErrors.js';
import { UnwritablePlace, kernelPlaceProblem } from './writablePlace.js';
import { foreignLinkProblem } from './ownDirectory.js';

/*
 * The one writer of footprint's files. A name in a directory another user can
 * write is theirs: they can make it a link to a root-only file, a FIFO that
 * blocks the open forever, or a device. So no name footprint writes is ever
 * opened through a link, and no write goes into anything but a regular file:
 *
 * - writeFileAtomically: a new file made with O_CREAT|O_EXCL|O_NOFOLLOW beside
 *   the name, then renamed over it. rename(2) replaces whatever the name is (a
 *   planted link included) and never writes through it; the name itself is never opened.
 * - writeOwnFile: a file in a directory footprint made itself (a capture's
 *   staging folder), opened with O_NOFOLLOW|O_NONBLOCK and checked on the open
 *   descriptor to be a regular file before a byte is written.
 */

/** A new file: made here or the open fails (EEXIST), whatever is at the name; never through a link, never blocking. */
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
/** A file of footprint's own, new or to be replaced: a link at the name fails the open (ELOOP), a FIFO does not block it. */
const OPEN_OWN = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
/** Temporary names tried before giving up: another user can take a name in a shared directory, not eight random ones in a row. */
const TEMP_ATTEMPTS = 8;

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
   * index, in a directory of footprint's own). Otherwise one is refused (outputPathProblem).
   */
  replaceStreams?: boolean;
  /** The error to throw when the temporary file cannot be created, or written (it is removed then): by default the file system's own. */
  failed?: (step: 'create' | 'write', error: unknown) => unknown;
}

/**
 * Why `path` cannot be written as an output file, or undefined: it is a FIFO,
 * a device or a socket (`--textfile /dev/null`, a FIFO planted by another
 * user), a directory, or a link to one of these. Looked at with lstat and
 * stat, which never open and so never block. A link to a regular file, or to
 * nothing, is fine: the write replaces the link, it never writes through it.
 * Only for an early, clear refusal: the write itself never opens the name.
 */
export function outputPathProblem(path: string): string | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch {
    return undefined;
  }
  let link = '';
  if (stats.isSymbolicLink()) {
    try {
      stats = statSync(path);
    } catch {
      return undefined; // A link to nothing (or a loop): replaced like any link.
    }
    link = 'a link to ';
  }
  if (stats.isFile()) return undefined;
  const what = `${link}${describeFileKind(stats)}`;
  if (stats.isDirectory()) return `it is ${what}`;
  return `it is ${what}, not a regular file (footprint writes a new file in its place only over a file or a link to one)`;
}

/** The same, as a throw (UnwritablePlace), for commands that check before their work: a kernel file system too. */
export function checkOutputPath(path: string): void {
  const problem = placeProblem(path) ?? outputPathProblem(path);
  if (problem !== undefined) throw new UnwritablePlace(problem);
}

/**
 * Why the directory `path` goes into is no place for it: a kernel file system
 * or /dev, or reached through another user's link (which would let them choose
 * where the file lands). The name itself may be a link of anyone's: it is replaced.
 */
function placeProblem(path: string): string | undefined {
  return kernelPlaceProblem(dirname(path)) ?? foreignLinkProblem(dirname(path));
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or never made.
  }
}

/** A hidden name beside `path` that is unlikely to be taken (O_EXCL tells if it is). */
function tempNameBeside(path: string): string {
  // No node:crypto, whose load (15 modules) cost `run -- true` 2 ms (bench/overTime.mjs: 60.4 ms against 62.3).
  return join(dirname(path), `.${basename(path)}.${process.pid}-${Math.random().toString(16).slice(2, 10)}.tmp`);
}

/** Makes the temporary file: the caller's name once, or fresh random names while another's file or link holds them. */
function createTemp(path: string, options: AtomicWriteOptions): { fd: number; temp: string } {
  for (let attempt = 1; ; attempt++) {
    const temp = options.tempPath ?? tempNameBeside(path);
    try {
      return { fd: openSync(temp, CREATE_NEW, options.mode ?? 0o644), temp };
    } catch (error) {
      if (options.tempPath === undefined && isAlreadyThere(error) && attempt < TEMP_ATTEMPTS) continue;
      throw options.failed === undefined ? error : options.failed('create', error);
    }
  }
}

/**
 * The one atomic writer of footprint's files (reports, the history index,
 * --json, --html, --textfile): `data` goes to a new temporary file in the same
 * directory (O_EXCL, O_NOFOLLOW), flushed, and then put in place (renamed over
 * `path`): a reader sees the old file or the whole new one, never half. The
 * temporary file is removed if anything fails. A link at `path` is replaced,
 * never written through; a FIFO, device or socket there (or a link to one) is refused
 * (UnwritablePlace) unless `replaceStreams`: nothing is ever opened at `path`,
 * so nothing can block. A path on a kernel file system (/proc, /sys) is refused
 * as such, not with whatever errno the kernel's files give. Returns the path the file took.
 */
export function writeFileAtomically(path: string, data: string | Buffer, options: AtomicWriteOptions = {}): string {
  const problem = placeProblem(path) ?? (options.putInPlace === undefined && options.replaceStreams !== true ? outputPathProblem(path) : undefined);
  if (problem !== undefined) throw new UnwritablePlace(problem);
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const { fd, temp } = createTemp(path, options);
  try {
    try {
      writeAll(fd, bytes);
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

/**
 * Writes `data` to `path` in a directory footprint made itself and no one else
 * can write (a capture's staging folder), where each file is written once and
 * the whole folder is put in place at the end: opened without following a
 * link and without blocking, and written only if the open descriptor is a
 * regular file (else ELOOP, or an error naming what it is).
 */
export function writeOwnFile(path: string, data: string | Buffer, mode = 0o644): void {
  const fd = openSync(path, OPEN_OWN, mode);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UnwritablePlace(`${path} is ${describeFileKind(stats)}, not a regular file`);
    writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data);
  } finally {
    closeSync(fd);
  }
}
