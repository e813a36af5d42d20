import { statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { FileKey } from './indexSegment.js';
import { DOCUMENT_CAP_BYTES, readBoundedFile } from './readBoundedFile.js';
import { isMissing } from '../kernel/files/fileErrors.js';

export type KeyedRead =
  | { status: 'read'; key: FileKey; data: Buffer }
  | { status: 'unreadable'; key: FileKey; reason: string }
  | { status: 'gone' };

/**
 * Reads a whole report file together with its key, taken from the open file
 * itself: the key describes exactly the version whose bytes were read. One
 * open, one fstat, reads into `buffer` (grown when too small; the data returned
 * is a view of it, valid until the buffer's next use), bounded as every report
 * read is (readBoundedFile). A file that is gone is 'gone'; one that exists but
 * cannot be used (unreadable, not a regular file, over the cap) is
 * 'unreadable' with its key. Reading a year of reports this way costs a third
 * of stat + readFileSync.
 */
export function readKeyedFile(dir: string, name: string, buffer: { bytes: Buffer }): KeyedRead {
  const path = join(dir, name);
  const read = readBoundedFile(path, DOCUMENT_CAP_BYTES, buffer);
  if (read.ok) return { status: 'read', key: keyOf(name, read.stats), data: read.data };
  if (read.stats) return { status: 'unreadable', key: keyOf(name, read.stats), reason: read.reason };
  if (isMissing({ code: read.code })) return { status: 'gone' };
  try {
    return { status: 'unreadable', key: keyOf(name, statSync(path)), reason: read.reason };
  } catch {
    return { status: 'gone' };
  }
}

function keyOf(name: string, stats: Stats): FileKey {
  return { name, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
}
