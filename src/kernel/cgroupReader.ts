import { closeSync, readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { classifyReadError, malformedFile, type ReadFailure } from './readFailure.js';
import { readRegularFile, readRegularFileInDirectory, readRegularFileInside, type RegularFileInsideRead } from './files/readRegularFile.js';
import { DIRECTORY_HANDLE, openInside } from './files/openInside.js';
import { NOT_REGULAR_CODE, TOO_LARGE_CODE } from './files/fileErrors.js';

/** Called with each file read whole (its text) and each cgroup listed (undefined), for `footprint capture`. */
export type CgroupRecorder = (relative: string, text: string | undefined) => void;

export type CgroupRead = { ok: true; text: string } | ReadFailure | { ok: false; reason: 'tooLarge' | 'notRegular'; code: string; path: string };

/** memory.stat is 1-2 KiB; cgroup.procs of a busy cgroup is 8 bytes a PID: 1 MiB is 130,000 members. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Where a captured hierarchy lies: its files are read as `under/relative`
 * below `base`, and no link below `base` is followed (openInside). `under`
 * is '' when the hierarchy is the base itself (--cgroup-root), `cgroup` for
 * the one captured beside DIR/proc (base DIR), so that DIR/cgroup itself
 * cannot be a link out either.
 */
export interface CapturedPlace {
  base: string;
  under: string;
}

/**
 * The only module that reads a cgroup hierarchy: a mounted cgroupfs, or a
 * captured copy (--cgroup-root, or DIR/cgroup beside a captured DIR/proc).
 * I/O, no policy: what to read is the caller's. Every read is bounded, and a
 * captured file that is not a regular file (a FIFO could block, a device
 * never end) is refused before any read (readRegularFile: opened without
 * blocking, checked with fstat). A captured hierarchy is read only inside
 * itself (`captured`): a file or cgroup linked out is refused, never opened.
 */
export class CgroupReader {
  /** One buffer for every read, grown as a file needs (up to the cap). */
  private readonly holder = { bytes: Buffer.allocUnsafe(64 * 1024) };
  /** The captured cgroup whose directory is held (inCgroup): its files are looked up in it. */
  private held: { relative: string; fd: number } | undefined;

  constructor(readonly root: string, private readonly recorder?: CgroupRecorder, private readonly captured?: CapturedPlace) {}

  /** A captured hierarchy at `root`, read only inside it. */
  static captured(root: string): CgroupReader {
    return new CgroupReader(root, undefined, { base: root, under: '' });
  }

  path(relative: string): string {
    return relative === '' ? this.root : join(this.root, relative);
  }

  /** `relative` below the captured base. */
  private inBase(place: CapturedPlace, relative: string): string {
    return place.under === '' ? relative : relative === '' ? place.under : `${place.under}/${relative}`;
  }

  /**
   * Runs `reads` (of one cgroup's files, and its children) with the cgroup
   * `relative`'s directory held, in a captured tree: each of its files is then
   * one open in that directory, with no walk from the base again (a captured
   * hierarchy of thousands of cgroups reads 8 files each). Live, just `reads`.
   */
  inCgroup<T>(relative: string, reads: () => T): T {
    if (this.captured === undefined || this.held !== undefined) return reads();
    const opened = openInside(this.captured.base, this.inBase(this.captured, relative), DIRECTORY_HANDLE);
    // Not reached: each read then fails on its own, and says why.
    if (!opened.ok) return reads();
    this.held = { relative, fd: opened.fd };
    try {
      return reads();
    } finally {
      this.held = undefined;
      closeSync(opened.fd);
    }
  }

  /** The held cgroup's handle when `relative` is one of its files. */
  private heldFor(relative: string): number | undefined {
    if (this.held === undefined) return undefined;
    const slash = relative.lastIndexOf('/');
    return (slash < 0 ? '' : relative.slice(0, slash)) === this.held.relative ? this.held.fd : undefined;
  }

  read(relative: string): CgroupRead {
    const path = this.path(relative);
    const held = this.heldFor(relative);
    const read: RegularFileInsideRead = this.captured === undefined
      ? readRegularFile(path, MAX_FILE_BYTES, this.holder)
      : held !== undefined
        ? readRegularFileInDirectory(held, relative.slice(relative.lastIndexOf('/') + 1), this.inBase(this.captured, relative), MAX_FILE_BYTES, this.holder)
        : readRegularFileInside(this.captured.base, this.inBase(this.captured, relative), MAX_FILE_BYTES, this.holder);
    if (read.ok) {
      const text = read.data.toString('utf8');
      this.recorder?.(relative, text);
      return { ok: true, text };
    }
    if (read.kind === 'refused') return malformedFile(path, read.why);
    if (read.kind === 'notRegular') return { ok: false, reason: 'notRegular', code: NOT_REGULAR_CODE, path };
    if (read.kind === 'overCap') return { ok: false, reason: 'tooLarge', code: TOO_LARGE_CODE, path };
    return classifyReadError(read.error, path);
  }

  /** Child cgroups: the directories (never symbolic links) under a cgroup, sorted by name. */
  children(relative: string): string[] | ReadFailure {
    const path = this.path(relative);
    this.recorder?.(relative, undefined);
    const entries = this.captured === undefined ? listDirectory(path, path) : this.listInside(this.captured, relative, path);
    if (!Array.isArray(entries)) return entries;
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  }

  /** A captured cgroup's entries, its directory reached with no link followed (openInside). */
  private listInside(place: CapturedPlace, relative: string, path: string): Dirent[] | ReadFailure {
    if (this.held !== undefined && this.held.relative === relative) return listDirectory(`/proc/self/fd/${this.held.fd}`, path);
    const inBase = this.inBase(place, relative);
    if (inBase === '') return listDirectory(place.base, path);
    const opened = openInside(place.base, inBase, DIRECTORY_HANDLE);
    if (!opened.ok) return 'refused' in opened ? malformedFile(path, opened.refused) : classifyReadError(opened.error, path);
    try {
      return listDirectory(`/proc/self/fd/${opened.fd}`, path);
    } finally {
      closeSync(opened.fd);
    }
  }
}

/** A directory's entries, or why not (`path` names it in messages). */
function listDirectory(at: string, path: string): Dirent[] | ReadFailure {
  try {
    return readdirSync(at, { withFileTypes: true });
  } catch (error) {
    return classifyReadError(error, path);
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
