import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { describeFileError } from './fileErrors.js';

const MIB = 1024 * 1024;

/**
 * The caps on what footprint reads back from disk. A report of 1,314 processes
 * grouped by PID (this machine with 1,000 extra `sleep`s) is 248 KB of JSON and
 * 13 KB of gzip; a run document keeps at most 1,024 samples and 1,000 marks of
 * 200 characters (~0.4 MB) plus its command line. 8 MiB is 33 times the
 * largest of these (about 44,000 groups), and a document of that size and
 * shape still fits the heap budget of a thread rebuilding the history index
 * (jsonBudget.ts). A crafted document at the cap parsed on the main thread
 * (diff) stays within a few hundred MB.
 */
export const DOCUMENT_CAP_BYTES = 8 * MIB;
/** A history index segment (one day's columns, deflated): ours, but a cache a user can break. */
export const SEGMENT_CAP_BYTES = 256 * MIB;

export type BoundedRead =
  | { ok: true; data: Buffer; stats: Stats }
  /** `stats` when the file was opened: what it is, even though it was not read. `code` from a failed open. */
  | { ok: false; reason: string; stats?: Stats; code?: string };

/**
 * Reads a whole regular file of at most `cap` bytes. The file is opened
 * non-blocking (a FIFO's open would otherwise wait for a writer) and refused
 * by its fstat when it is not a regular file, before any read: /dev/zero never
 * ends and a FIFO never answers. The read stops at the size fstat gave (a file
 * that grows meanwhile is read as it was), or for a file that says 0 (as in
 * /proc) at its end, and in any case one byte past the cap. `buffer` is reused and grown
 * when given; the data returned is then a view of it, valid until its next use.
 */
export function readBoundedFile(path: string, cap: number, buffer?: { bytes: Buffer }): BoundedRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    return { ok: false, reason: `cannot read: ${describeFileError(error)}`, code: (error as { code?: string }).code };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, reason: `not a regular file (${fileKind(stats)})`, stats };
    if (stats.size > cap) return { ok: false, reason: overCap(cap), stats };
    const want = Math.min(stats.size, cap) + 1;
    const holder = buffer ?? { bytes: Buffer.allocUnsafe(want) };
    if (holder.bytes.length < want) holder.bytes = Buffer.allocUnsafe(Math.max(want, Math.min(holder.bytes.length * 2, cap + 1)));
    let length = 0;
    try {
      for (;;) {
        if (length === holder.bytes.length) {
          if (length > cap) return { ok: false, reason: overCap(cap), stats };
          const grown = Buffer.allocUnsafe(Math.min(length * 2, cap + 1));
          holder.bytes.copy(grown, 0, 0, length);
          holder.bytes = grown;
        }
        const got = readSync(fd, holder.bytes, length, holder.bytes.length - length, length);
        length += got;
        // The size fstat gave is read: done, without a read for the end (a year of reports is 105,000 files).
        // A file that says 0 (as in /proc) is read to its end.
        if (got === 0 || (stats.size > 0 && length >= stats.size)) break;
      }
    } catch (error) {
      return { ok: false, reason: `cannot read: ${describeFileError(error)}`, stats };
    }
    if (length > cap) return { ok: false, reason: overCap(cap), stats };
    return { ok: true, data: holder.bytes.subarray(0, length), stats };
  } finally {
    closeSync(fd);
  }
}

/** `larger than 8 MiB, …`: the reason a file (or, with `inflates to more than`, its gzip'ed text) is refused. */
export function overCap(cap: number, what = 'larger than'): string {
  const size = cap % MIB === 0 ? `${cap / MIB} MiB` : `${cap} bytes`;
  return `${what} ${size}, footprint's cap for a report or run document`;
}

function fileKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a directory';
  return 'not a plain file';
}
