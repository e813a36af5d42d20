import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { classifyReadError, type ReadFailure } from '../scan/readFailure.js';

export type CgroupRead = { ok: true; text: string } | ReadFailure | { ok: false; reason: 'tooLarge' | 'notRegular'; code: string; path: string };

/** memory.stat is 1-2 KiB; cgroup.procs of a busy cgroup is 8 bytes a PID: 1 MiB is 130,000 members. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The only module that reads a cgroup hierarchy: a mounted cgroupfs, or a
 * captured copy (--cgroup-root). I/O, no policy: what to read is the caller's.
 * Every read is bounded, and a captured file that is not a regular file (a FIFO
 * could block, a device never end) is refused before any read: opened without
 * blocking, checked with fstat.
 */
export class CgroupReader {
  private buffer = Buffer.allocUnsafe(64 * 1024);

  constructor(readonly root: string) {}

  path(relative: string): string {
    return relative === '' ? this.root : join(this.root, relative);
  }

  read(relative: string): CgroupRead {
    const path = this.path(relative);
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      return classifyReadError(error, path);
    }
    try {
      if (!fstatSync(fd).isFile()) return { ok: false, reason: 'notRegular', code: 'EINVAL', path };
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          if (length >= MAX_FILE_BYTES) return { ok: false, reason: 'tooLarge', code: 'EFBIG', path };
          const bigger = Buffer.allocUnsafe(Math.min(this.buffer.length * 4, MAX_FILE_BYTES));
          this.buffer.copy(bigger, 0, 0, length);
          this.buffer = bigger;
        }
        const n = readSync(fd, this.buffer, length, this.buffer.length - length, null);
        if (n === 0) break;
        length += n;
      }
      return { ok: true, text: this.buffer.toString('utf8', 0, length) };
    } catch (error) {
      return classifyReadError(error, path);
    } finally {
      closeSync(fd);
    }
  }

  /** Child cgroups: the directories (never symbolic links) under a cgroup, sorted by name. */
  children(relative: string): string[] | ReadFailure {
    try {
      return readdirSync(this.path(relative), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    } catch (error) {
      return classifyReadError(error, this.path(relative));
    }
  }
}

export function describeCgroupRead(failure: Exclude<CgroupRead, { ok: true }>): string {
  switch (failure.reason) {
    case 'denied': return 'not permitted';
    case 'missing': return 'no such file';
    case 'tooLarge': return `larger than ${MAX_FILE_BYTES} bytes`;
    case 'notRegular': return 'not a regular file';
    default: return failure.code;
  }
}
