import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FileKey } from './indexSegment.js';
import { describeFileError, fileErrorCode } from './fileErrors.js';

export type KeyedRead =
  | { status: 'read'; key: FileKey; data: Buffer }
  | { status: 'unreadable'; key: FileKey; reason: string }
  | { status: 'gone' };

/**
 * Reads a whole file together with its key, taken from the open file itself:
 * the key describes exactly the version whose bytes were read. One open, one
 * fstat, reads into `buffer` (grown when too small; the data returned is a
 * view of it, valid until the buffer's next use). A file that is gone is
 * 'gone'; one that exists but cannot be read is 'unreadable' with its key.
 * Reading a year of reports this way costs a third of stat + readFileSync.
 */
export function readKeyedFile(dir: string, name: string, buffer: { bytes: Buffer }): KeyedRead {
  const path = join(dir, name);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return unreadable(path, name, error);
  }
  try {
    const stats = fstatSync(fd);
    const key: FileKey = { name, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
    if (buffer.bytes.length < stats.size) buffer.bytes = Buffer.allocUnsafe(Math.max(stats.size, buffer.bytes.length * 2));
    let length = 0;
    try {
      for (let got = -1; got !== 0 && length < stats.size; length += got) {
        got = readSync(fd, buffer.bytes, length, stats.size - length, length);
      }
    } catch (error) {
      return { status: 'unreadable', key, reason: `cannot read: ${describeFileError(error)}` };
    }
    return { status: 'read', key, data: buffer.bytes.subarray(0, length) };
  } finally {
    closeSync(fd);
  }
}

function unreadable(path: string, name: string, error: unknown): KeyedRead {
  if (fileErrorCode(error) === 'ENOENT') return { status: 'gone' };
  try {
    const stats = statSync(path);
    return {
      status: 'unreadable', key: { name, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino },
      reason: `cannot read: ${describeFileError(error)}`,
    };
  } catch {
    return { status: 'gone' };
  }
}
