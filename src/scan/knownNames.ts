import type { ProcessStat } from '../kernel/procfs/stat.js';

/** What a process is called, as readProcessIdentity reads it: its exe link and (where wanted) its command line. */
export interface ProcessNames {
  exe: string | undefined;
  exeDeleted: boolean;
  /** undefined: not read (the grouping did not want it). */
  cmdline: string[] | undefined;
}

interface Known extends ProcessNames {
  startTime: number;
  comm: string;
  marks: string;
  keptAtMs: number;
}

/**
 * How long a process's names are taken from memory before they are read again,
 * whatever its stat says: a program may rewrite its own command line in place
 * (setproctitle: "postgres: checkpointer", "gunicorn: worker"), with no exec.
 */
export const NAMES_RECHECK_MS = 60_000;

/**
 * Each process's exe and command line, kept from one scan to the next by a
 * command that scans again and again (serve), so that a scan reads them only
 * for a process that is new or has changed: three system calls and two texts
 * fewer per process, and about a tenth of a repeated scan. A process is the one
 * kept while its PID, start time, name and exec marks (stat's code and stack
 * addresses, execMarks) are the same: an exec changes them. Names are read again
 * at least every NAMES_RECHECK_MS. Holds only the processes of the last scan (beginScan).
 * On the main thread only (a partner thread reads its share's names itself).
 */
export class KnownNames {
  private last = new Map<number, Known>();
  private current = new Map<number, Known>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The names kept for this process, if it is the same one, they are fresh, and its command line was read where it is wanted now. */
  recall(pid: number, stat: ProcessStat, marks: string | undefined, wantsCmdline: (exe: string | undefined) => boolean): ProcessNames | undefined {
    if (marks === undefined) return undefined;
    const known = this.last.get(pid);
    if (known === undefined || known.startTime !== stat.startTime || known.comm !== stat.comm || known.marks !== marks) return undefined;
    if (this.now() - known.keptAtMs >= NAMES_RECHECK_MS) return undefined;
    // Kept with a command line exactly where one is wanted now (a grouping changed: read again).
    if ((known.cmdline !== undefined) !== wantsCmdline(known.exe)) return undefined;
    this.current.set(pid, known);
    return known;
  }

  /** Keeps the names just read of this process (not where its stat shows no marks). */
  keep(pid: number, stat: ProcessStat, marks: string | undefined, names: ProcessNames): void {
    if (marks === undefined) return;
    this.current.set(pid, { ...names, startTime: stat.startTime, comm: stat.comm, marks, keptAtMs: this.now() });
  }

  /** Before each scan: what the scan before it kept is what this one recalls; what that one did not see (a process gone, or scanned elsewhere) is forgotten. */
  beginScan(): void {
    this.last = this.current;
    this.current = new Map();
  }

  /** The processes whose names the latest scan kept. */
  get size(): number {
    return this.current.size;
  }
}
