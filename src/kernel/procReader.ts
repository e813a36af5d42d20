import { closeSync, constants, fstatSync, openSync, read, readdirSync, readlinkSync, readSync, statfsSync } from 'node:fs';
import { classifyReadError, malformedFile, type ReadFailure } from './readFailure.js';
import { isInvalid } from './files/fileErrors.js';
import { LIVE_PROC } from './livePaths.js';
import { DIRECTORY_HANDLE, openInDirectory, openInside, readLinkInside, type OpenedInside } from './files/openInside.js';

export type ReadOutcome = { ok: true; text: string } | ReadFailure;

/** A /proc file held open (see ProcReader.open). */
export interface OpenProcFile {
  fd: number;
  path: string;
  relative: string;
  /** Whether one short read is the whole file (see SINGLE_RECORD). */
  singleRecord: boolean;
  /** The most bytes read of it (readCapOf). */
  cap: number;
  /** In a captured tree, its directory (PID), held with it (see ProcReader.heldDirectories). */
  directory?: { relative: string; fd: number };
}

/**
 * Files the kernel writes in one piece (seq_file single_open; cmdline, whose
 * read copies the arguments until the buffer is full or they end): the first
 * read that does not fill the buffer has returned all of it, so the read that
 * would return 0 can be skipped (a third fewer read calls in a scan). smaps is
 * not one of them: it comes a few mappings per read, and only a 0 ends it. A
 * captured copy is a regular file, where a short read also means the end.
 */
const SINGLE_RECORD = new Set(['stat', 'statm', 'status', 'smaps_rollup', 'cmdline', 'cgroup', 'oom_score']);

/** statfs(2)'s f_type of procfs (PROC_SUPER_MAGIC, linux/magic.h). */
const PROC_SUPER_MAGIC = 0x9fa0;

/** The most bytes of a file read ahead (see fetchAhead): a read that fills it is left to the scan. */
export const READ_AHEAD_BYTES = 4096;

function isSingleRecord(relative: string): boolean {
  return SINGLE_RECORD.has(relative.slice(relative.lastIndexOf('/') + 1));
}

const MIB = 1024 * 1024;
/**
 * The most footprint reads of one file, far above what any kernel writes: smaps
 * at the default vm.max_map_count (65530 mappings of ~1.5 KiB) is ~100 MiB;
 * a command line is at most ARG_MAX, a quarter of the stack limit (2 MiB
 * under the usual 8 MiB); zoneinfo of a large NUMA
 * machine some hundred KiB; mountinfo of a host with thousands of mounts
 * about a MiB. Everything else (stat, status, smaps_rollup,
 * meminfo, cgroup, loadavg) is a few KiB: 1 MiB. A file over its cap is
 * malformed, never read whole (a 1 GB smaps_rollup in a captured tree).
 */
const READ_CAPS: Record<string, number> = { smaps: 256 * MIB, cmdline: 16 * MIB, zoneinfo: 16 * MIB, mountinfo: 16 * MIB };
const DEFAULT_READ_CAP = MIB;

export function readCapOf(relative: string): number {
  return READ_CAPS[relative.slice(relative.lastIndexOf('/') + 1)] ?? DEFAULT_READ_CAP;
}

/**
 * O_NONBLOCK: opening a FIFO for reading blocks until a writer comes (forever, in
 * a captured tree); with it the open returns at once and fstat refuses the FIFO.
 * It changes nothing for a regular file.
 */
const OPEN_CAPTURED = constants.O_RDONLY | constants.O_NONBLOCK;

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
  /** Read ahead of a scan (src/scan/readAhead.ts): 'PID/stat' → an open descriptor, 'PID/smaps_rollup' → its text. Each is taken once. */
  private readonly openAhead = new Map<string, number>();
  private readonly textAhead = new Map<string, string>();
  private isProcfs: boolean | undefined;
  /**
   * A captured tree's directories held while a file in them is held (open(),
   * the scan's PID/stat): 'PID' → a handle (openInside) in which the scan's
   * other reads of that process look their names up, with no walk from the
   * root again: one open a file, as on /proc.
   */
  private readonly heldDirectories = new Map<string, number>();

  constructor(readonly root = LIVE_PROC, private readonly recorder?: ReadRecorder) {}

  /**
   * Whether the root is a live procfs, where an open /proc/PID file stays bound
   * to its process (see open()); a captured tree's files are plain files.
   */
  get bindsProcesses(): boolean {
    if (this.isProcfs === undefined) {
      try {
        this.isProcfs = statfsSync(this.root).type === PROC_SUPER_MAGIC;
      } catch {
        this.isProcfs = false;
      }
    }
    return this.isProcfs;
  }

  /** Whether reading ahead is worth it (src/scan/readAhead.ts): only on a live procfs, and not while recording a capture. */
  get readsAhead(): boolean {
    return this.bindsProcesses && this.recorder === undefined;
  }

  /**
   * Opens `relative` (a PID/stat) now and holds it for open() to take, once: a
   * held stat still vouches, when the scan reads it, for the files read ahead
   * after it was opened. false when it could not be opened (the scan opens it
   * again and says why). For readAhead (src/scan/readAhead.ts). On this thread:
   * an open costs the kernel little, and a trip through libuv's pool costs the
   * main thread more (a worker woken, a callback run) than the open itself.
   */
  holdAhead(relative: string): boolean {
    try {
      this.openAhead.set(relative, openSync(this.path(relative), 'r'));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Opens a small file now and reads it on libuv's threads into `buffer`,
   * keeping its text for read() to take, once; `done(undefined)` when it failed
   * or filled the buffer (the scan reads it itself). Only the read goes to the
   * pool: for smaps_rollup it is the kernel's walk of the page tables, the
   * dear part; the open is cheap (see holdAhead). Closed at once: only held
   * stats stay open. `done` may be called before this returns (a failed open).
   */
  fetchAhead(relative: string, buffer: Buffer, done: (text: string | undefined) => void): void {
    let fd: number;
    try {
      fd = openSync(this.path(relative), 'r');
    } catch {
      return done(undefined);
    }
    read(fd, buffer, 0, buffer.length, 0, (readError, n) => {
      closeSync(fd);
      if (readError || n === buffer.length) return done(undefined);
      const text = buffer.toString('utf8', 0, n);
      this.textAhead.set(relative, text);
      done(text);
    });
  }

  /**
   * A small file (under READ_AHEAD_BYTES) read now, on this thread, through the
   * descriptor holdAhead() holds for it, or else opened for this read;
   * undefined on any failure. Not kept: keepAhead() it for the scan.
   */
  readAheadNow(relative: string): string | undefined {
    const held = this.openAhead.get(relative);
    if (held !== undefined) return this.readSmall(held);
    let fd: number;
    try {
      fd = openSync(this.path(relative), 'r');
    } catch {
      return undefined;
    }
    try {
      return this.readSmall(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** A text read ahead (fetchAhead, keepAhead), taken: undefined where there is none, and read() reads the file. */
  takeAhead(relative: string): string | undefined {
    if (this.textAhead.size === 0) return undefined;
    const text = this.textAhead.get(relative);
    if (text !== undefined) this.textAhead.delete(relative);
    return text;
  }

  /** Keeps a text read ahead for read() (or, for a held stat, open()) to take once. */
  keepAhead(relative: string, text: string): void {
    this.textAhead.set(relative, text);
  }

  private readSmall(fd: number): string | undefined {
    try {
      const length = readSync(fd, this.buffer, 0, READ_AHEAD_BYTES, 0);
      return length > 0 && length < READ_AHEAD_BYTES ? this.buffer.toString('utf8', 0, length) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Closes what was held ahead (holdAhead) and the scan did not take, and forgets the texts it did not take. */
  releaseAhead(): void {
    for (const fd of this.openAhead.values()) closeSync(fd);
    this.openAhead.clear();
    this.textAhead.clear();
  }

  path(relative: string): string {
    return `${this.root}/${relative}`;
  }

  /** Reads a whole file, e.g. read("1234/smaps_rollup"). */
  read(relative: string): ReadOutcome {
    const ahead = this.takeAhead(relative);
    if (ahead !== undefined) return { ok: true, text: ahead };
    const opened = this.openFile(relative, false);
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
    return this.openFile(relative, true);
  }

  /** open(), or (`held` false) a file read() closes at once, which holds no directory. */
  private openFile(relative: string, held: boolean): { ok: true; file: OpenProcFile; text: ReadOutcome } | ReadFailure {
    const path = this.path(relative);
    let directory: OpenProcFile['directory'];
    let fd = this.openAhead.size > 0 ? this.openAhead.get(relative) : undefined;
    let ahead: string | undefined;
    if (fd !== undefined) {
      this.openAhead.delete(relative);
      // A stat read ahead through this very descriptor (for --rollup-max-rss) is its first read.
      ahead = this.textAhead.get(relative);
      if (ahead !== undefined) this.textAhead.delete(relative);
    } else if (this.bindsProcesses) {
      // Every file of a procfs is a regular file, generated by the kernel: no check, no cost.
      try {
        fd = openSync(path, 'r');
      } catch (error) {
        return classifyReadError(error, path);
      }
    } else {
      const opened = this.openCaptured(path, relative, held);
      if (!('fd' in opened)) return opened;
      ({ fd, directory } = opened);
    }
    const file: OpenProcFile = { fd, path, relative, singleRecord: isSingleRecord(relative), cap: readCapOf(relative) };
    if (directory !== undefined) file.directory = directory;
    const text: ReadOutcome = ahead !== undefined ? { ok: true, text: ahead } : this.readOpen(file, true);
    return { ok: true, file, text };
  }

  /**
   * A file of a captured tree, which anyone may have made: reached with no link
   * followed below the root (openInside: a cmdline linked to /etc/shadow, a
   * PID directory linked to /proc/1 is refused, never opened), and only a
   * regular file within its cap is read (see OPEN_CAPTURED), so that a FIFO
   * cannot hang the scan nor a huge file fill memory.
   */
  private openCaptured(path: string, relative: string, held: boolean): { fd: number; directory?: OpenProcFile['directory'] } | ReadFailure {
    const slash = relative.lastIndexOf('/');
    const parent = slash < 0 ? undefined : relative.slice(0, slash);
    const name = relative.slice(slash + 1);
    const handle = parent === undefined ? undefined : this.heldDirectories.get(parent);
    let directory: OpenProcFile['directory'];
    let opened: OpenedInside;
    if (handle !== undefined) opened = openInDirectory(handle, name, OPEN_CAPTURED, relative);
    else if (held && parent !== undefined) {
      const reached = openInside(this.root, parent, DIRECTORY_HANDLE);
      if (!reached.ok) return 'refused' in reached ? malformedFile(path, reached.refused) : classifyReadError(reached.error, path);
      opened = openInDirectory(reached.fd, name, OPEN_CAPTURED, relative);
      if (opened.ok) {
        directory = { relative: parent, fd: reached.fd };
        this.heldDirectories.set(parent, reached.fd);
      } else closeSync(reached.fd);
    } else opened = openInside(this.root, relative, OPEN_CAPTURED);
    if (!opened.ok) return 'refused' in opened ? malformedFile(path, opened.refused) : classifyReadError(opened.error, path);
    const fd = opened.fd;
    let refusal: ReadFailure | undefined;
    try {
      const stats = fstatSync(fd);
      const cap = readCapOf(relative);
      if (!stats.isFile()) refusal = malformedFile(path, 'not a regular file');
      else if (stats.size > cap) refusal = malformedFile(path, `larger than ${cap / MIB} MiB, more than the kernel writes`);
    } catch (error) {
      refusal = classifyReadError(error, path);
    }
    if (refusal === undefined) return { fd, directory };
    closeSync(fd);
    if (directory !== undefined) this.releaseDirectory(directory);
    return refusal;
  }

  private releaseDirectory(directory: NonNullable<OpenProcFile['directory']>): void {
    if (this.heldDirectories.get(directory.relative) === directory.fd) this.heldDirectories.delete(directory.relative);
    closeSync(directory.fd);
  }

  /** Reads an open file again from its start. */
  reread(file: OpenProcFile): ReadOutcome {
    return this.readOpen(file, false);
  }

  close(file: OpenProcFile): void {
    closeSync(file.fd);
    if (file.directory !== undefined) this.releaseDirectory(file.directory);
  }

  /**
   * Reads a file a piece at a time, each piece whole lines, for a file too large
   * to hold whole twice over (bytes and text): smaps of a process with 65,530
   * mappings is 45 MB. `take` gets the text of each piece, in order. Bounded by
   * the file's cap as read() is. While recording a capture (the recorder keeps
   * the whole text) or where the text was read ahead, it is one piece.
   */
  readLines(relative: string, take: (text: string) => void): { ok: true } | ReadFailure {
    if (this.recorder !== undefined || this.textAhead.has(relative)) {
      const whole = this.read(relative);
      if (!whole.ok) return whole;
      take(whole.text);
      return { ok: true };
    }
    const path = this.path(relative);
    let fd: number;
    if (this.bindsProcesses) {
      try {
        fd = openSync(path, 'r');
      } catch (error) {
        return classifyReadError(error, path);
      }
    } else {
      // Not held: a directory is held only for a held stat's process, which this read may use.
      const opened = this.openCaptured(path, relative, false);
      if (!('fd' in opened)) return opened;
      fd = opened.fd;
    }
    const cap = readCapOf(relative);
    try {
      // `kept`: the bytes of a line not yet ended, moved to the buffer's start.
      let kept = 0;
      let total = 0;
      for (let ended = false; !ended;) {
        let length = kept;
        // The kernel gives smaps a page at a time: fill most of the buffer before decoding.
        while (length < this.buffer.length - 8192 || length === kept) {
          if (length === this.buffer.length) {
            // One line longer than the buffer (a captured file's): grow it.
            const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
            this.buffer.copy(bigger, 0, 0, length);
            this.buffer = bigger;
          }
          const n = readSync(fd, this.buffer, length, this.buffer.length - length, null);
          if (n === 0) {
            ended = true;
            break;
          }
          length += n;
          total += n;
          if (total > cap) return malformedFile(path, `larger than ${cap / MIB} MiB, more than the kernel writes`);
        }
        const lastNewline = ended ? length - 1 : this.buffer.lastIndexOf(10, length - 1);
        if (lastNewline < kept && !ended) {
          kept = length;
          continue;
        }
        if (lastNewline >= 0) take(this.buffer.toString('utf8', 0, lastNewline + 1));
        this.buffer.copy(this.buffer, 0, lastNewline + 1, length);
        kept = length - lastNewline - 1;
      }
    } catch (error) {
      return classifyReadError(error, path);
    } finally {
      closeSync(fd);
    }
    return { ok: true };
  }

  private readOpen(file: OpenProcFile, record: boolean): ReadOutcome {
    let text: string;
    try {
      let length = 0;
      for (;;) {
        if (length > file.cap) return malformedFile(file.path, `larger than ${file.cap / MIB} MiB, more than the kernel writes`);
        if (length === this.buffer.length) {
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger, 0, 0, length);
          this.buffer = bigger;
        }
        // Positioned reads, so that a re-read starts from the top.
        const room = Math.min(this.buffer.length, file.cap + 1) - length;
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

  /**
   * A link's text: the kernel's (exe) on a procfs; in a captured tree, where
   * capture writes exe as a link, its text as data, never followed, in a
   * directory reached without leaving the tree (readLinkInside).
   */
  readLink(relative: string): { ok: true; target: string } | ReadFailure {
    const path = this.path(relative);
    let target: string;
    try {
      if (this.bindsProcesses) target = readlinkSync(path);
      else {
        const slash = relative.lastIndexOf('/');
        const read = readLinkInside(this.root, relative, slash < 0 ? undefined : this.heldDirectories.get(relative.slice(0, slash)));
        if (!read.ok) {
          if ('refused' in read) return malformedFile(path, read.refused);
          throw read.error;
        }
        target = read.target;
      }
    } catch (error) {
      // EINVAL: not a link (a captured tree's exe made a file); nothing to name the process by.
      if (isInvalid(error)) return malformedFile(path, 'not a symbolic link');
      return classifyReadError(error, path);
    }
    this.recorder?.(relative, { link: target });
    return { ok: true, target };
  }

  /** The root's entries as readdir gives them, or undefined when it cannot be listed (for a sampler, which lists it often). */
  listNames(): string[] | undefined {
    try {
      return readdirSync(this.root);
    } catch {
      return undefined;
    }
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
