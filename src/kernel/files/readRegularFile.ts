import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { openInDirectory, openInside, type OpenedInside } from './openInside.js';

export type RegularFileRead =
  | { ok: true; data: Buffer; stats: Stats }
  /** Where it failed; `error` from a failed open or read; `stats` once the file was opened. Callers word it. */
  | { ok: false; kind: 'open' | 'notRegular' | 'overCap' | 'read'; error?: unknown; stats?: Stats };

/** Non-blocking: a FIFO's open would otherwise wait for a writer. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/**
 * Reads a whole regular file of at most `cap` bytes: the one bounded read of a
 * file footprint did not write itself (a saved report, a captured cgroup file,
 * a web config). The file is opened non-blocking (a FIFO's open would otherwise
 * wait for a writer) and refused by its fstat when it is not a regular file,
 * before any read: /dev/zero never ends and a FIFO never answers. The read
 * stops at the size fstat gave (a file that grows meanwhile is read as it was),
 * or for a file that says 0 (as in /proc and cgroupfs) at its end, and in any
 * case one byte past the cap. `buffer` is reused and grown when given; the data
 * returned is then a view of it, valid until its next use.
 */
export function readRegularFile(path: string, cap: number, buffer?: { bytes: Buffer }): RegularFileRead {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    return { ok: false, kind: 'open', error };
  }
  return readOpenFile(fd, cap, buffer);
}

/** Also `refused`: a path that would leave its tree (openInside), why in words. */
export type RegularFileInsideRead = RegularFileRead | { ok: false; kind: 'refused'; why: string };

/**
 * readRegularFile() of `relative` in a captured tree under `root`, reached
 * with no link followed below the root (openInside): a file linked outside
 * is refused, never opened.
 */
export function readRegularFileInside(root: string, relative: string, cap: number, buffer?: { bytes: Buffer }): RegularFileInsideRead {
  return readOpenedInside(openInside(root, relative, OPEN_FLAGS), cap, buffer);
}

/**
 * readRegularFileInside() of `name` in a directory already reached inside its
 * tree (a handle, see openInDirectory); `relative` names it in a refusal.
 */
export function readRegularFileInDirectory(directory: number, name: string, relative: string, cap: number, buffer?: { bytes: Buffer }): RegularFileInsideRead {
  return readOpenedInside(openInDirectory(directory, name, OPEN_FLAGS, relative), cap, buffer);
}

function readOpenedInside(opened: OpenedInside, cap: number, buffer?: { bytes: Buffer }): RegularFileInsideRead {
  if (!opened.ok) return 'refused' in opened ? { ok: false, kind: 'refused', why: opened.refused } : { ok: false, kind: 'open', error: opened.error };
  return readOpenFile(opened.fd, cap, buffer);
}

/** The read of readRegularFile(), on a descriptor it closes. */
function readOpenFile(fd: number, cap: number, buffer?: { bytes: Buffer }): RegularFileRead {
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, kind: 'notRegular', stats };
    if (stats.size > cap) return { ok: false, kind: 'overCap', stats };
    const want = Math.min(stats.size, cap) + 1;
    const holder = buffer ?? { bytes: Buffer.allocUnsafe(want) };
    if (holder.bytes.length < want) holder.bytes = Buffer.allocUnsafe(Math.max(want, Math.min(holder.bytes.length * 2, cap + 1)));
    let length = 0;
    try {
      for (;;) {
        if (length === holder.bytes.length) {
          if (length > cap) return { ok: false, kind: 'overCap', stats };
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
      return { ok: false, kind: 'read', error, stats };
    }
    if (length > cap) return { ok: false, kind: 'overCap', stats };
    return { ok: true, data: holder.bytes.subarray(0, length), stats };
  } finally {
    closeSync(fd);
  }
}
