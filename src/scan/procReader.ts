import { closeSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { classifyReadError, type ReadFailure } from './readFailure.js';

export type ReadOutcome = { ok: true; text: string } | ReadFailure;

/** A /proc file held open (see ProcReader.open). */
export interface OpenProcFile {
  fd: number;
  path: string;
  relative: string;
  /** Whether one short read is the whole file (see SINGLE_RECORD). */
  singleRecord: boolean;
}

/**
 * Files the kernel writes in one piece (seq_file single_open): the first read
 * that does not fill the buffer has returned all of it, so the read that would
 * return 0 can be skipped (a third fewer read calls in a scan). smaps is not one
 * of them: it comes a few mappings per read, and only a 0 ends it. A captured
 * copy is a regular file, where a short read also means the end.
 */
const SINGLE_RECORD = new Set(['stat', 'status', 'smaps_rollup']);

function isSingleRecord(relative: string): boolean {
  return SINGLE_RECORD.has(relative.slice(relative.lastIndexOf('/') + 1));
}

/** Called with every file the reader has read, for `footprint capture`. */
export type ReadRecorder = (relativePath: string, content: { text: string } | { link: string }) => void;

/**
 * The only module that reads /proc. Its root is injectable so that tests and
 * --proc-root read captured trees. Sync reads into one reused buffer are the
 * fastest way to read /proc from Node (promise-based reads measured 3-5x slower),
 * and keep the scan from allocating a buffer per file.
 */
export class ProcReader {
  private buffer = Buffer.allocUnsafe(64 * 1024);

  constructor(readonly root = '/proc', private readonly recorder?: ReadRecorder) {}

  path(relative: string): string {
    return `${this.root}/${relative}`;
  }

  /** Reads a whole file, e.g. read("1234/smaps_rollup"). */
  read(relative: string): ReadOutcome {
    const opened = this.open(relative);
    if (!opened.ok) return opened;
    try {
      return opened.text;
    } finally {
      closeSync(opened.file.fd);
    }
  }

  /**
   * Reads a file and keeps it open for `reread`. An open /proc/PID file stays
   * bound to that process: once it has exited, a read fails with ESRCH even if a
   * new process has taken the PID. Holding stat open is how a scan knows the
   * figures it read in between belong to the process it named. `close` it.
   */
  open(relative: string): { ok: true; file: OpenProcFile; text: ReadOutcome } | ReadFailure {
    const path = this.path(relative);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      return classifyReadError(error, path);
    }
    const file = { fd, path, relative, singleRecord: isSingleRecord(relative) };
    const text = this.readOpen(file, true);
    return { ok: true, file, text };
  }

  /** Reads an open file again from its start. */
  reread(file: OpenProcFile): ReadOutcome {
    return this.readOpen(file, false);
  }

  close(file: OpenProcFile): void {
    closeSync(file.fd);
  }

  private readOpen(file: OpenProcFile, record: boolean): ReadOutcome {
    let text: string;
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger, 0, 0, length);
          this.buffer = bigger;
        }
        // Positioned reads, so that a re-read starts from the top.
        const room = this.buffer.length - length;
        const n = readSync(file.fd, this.buffer, length, room, length);
        if (n === 0) break;
        length += n;
        if (file.singleRecord && n < room) break;
      }
      text = this.buffer.toString('utf8', 0, length);
    } catch (error) {
      return classifyReadError(error, file.path);
    }
    // Outside the try: a failure to write the capture is not a /proc read error.
    if (record) this.recorder?.(file.relative, { text });
    return { ok: true, text };
  }

  readLink(relative: string): { ok: true; target: string } | ReadFailure {
    const path = this.path(relative);
    let target: string;
    try {
      target = readlinkSync(path);
    } catch (error) {
      return classifyReadError(error, path);
    }
    this.recorder?.(relative, { link: target });
    return { ok: true, target };
  }

  /** Thread-group leaders only: the numeric entries of the root (never task/). */
  listPids(): number[] | ReadFailure {
    let names: string[];
    try {
      names = readdirSync(this.root);
    } catch (error) {
      return classifyReadError(error, this.root);
    }
    const pids: number[] = [];
    for (const name of names) {
      const code = name.charCodeAt(0);
      if (code >= 48 && code <= 57 && /^\d+$/.test(name)) pids.push(Number(name));
    }
    return pids.sort((a, b) => a - b);
  }
}
