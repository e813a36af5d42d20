import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { classifyReadError, type ReadFailure } from '../scan/readFailure.js';
import { readRegularFile } from '../readRegularFile.js';

/** Called with each file read whole (its text) and each cgroup listed (undefined), for `footprint capture`. */
export type CgroupRecorder = (relative: string, text: string | undefined) => void;

export type CgroupRead = { ok: true; text: string } | ReadFailure | { ok: false; reason: 'tooLarge' | 'notRegular'; code: string; path: string };

/** memory.stat is 1-2 KiB; cgroup.procs of a busy cgroup is 8 bytes a PID: 1 MiB is 130,000 members. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The only module that reads a cgroup hierarchy: a mounted cgroupfs, or a
 * captured copy (--cgroup-root). I/O, no policy: what to read is the caller's.
 * Every read is bounded, and a captured file that is not a regular file (a FIFO
 * could block, a device never end) is refused before any read (readRegularFile:
 * opened without blocking, checked with fstat).
 */
export class CgroupReader {
  /** One buffer for every read, grown as a file needs (up to the cap). */
  private readonly holder = { bytes: Buffer.allocUnsafe(64 * 1024) };

  constructor(readonly root: string, private readonly recorder?: CgroupRecorder) {}

  path(relative: string): string {
    return relative === '' ? this.root : join(this.root, relative);
  }

  read(relative: string): CgroupRead {
    const path = this.path(relative);
    const read = readRegularFile(path, MAX_FILE_BYTES, this.holder);
    if (read.ok) {
      const text = read.data.toString('utf8');
      this.recorder?.(relative, text);
      return { ok: true, text };
    }
    if (read.kind === 'notRegular') return { ok: false, reason: 'notRegular', code: 'EINVAL', path };
    if (read.kind === 'overCap') return { ok: false, reason: 'tooLarge', code: 'EFBIG', path };
    return classifyReadError(read.error, path);
  }

  /** Child cgroups: the directories (never symbolic links) under a cgroup, sorted by name. */
  children(relative: string): string[] | ReadFailure {
    try {
      this.recorder?.(relative, undefined);
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
