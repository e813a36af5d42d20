import { emptyCounters } from '../kernel/procfs/memoryCounters.js';
import type { SmapsMapping } from '../kernel/procfs/smaps.js';
import { sumsOfMapping, type MappingSums } from '../kernel/procfs/smapsSums.js';
import type { MemoryFigures } from '../model/figures.js';
import { regionKind, type RegionKind } from '../reduce/classifyMapping.js';
import { figuresFromCounters } from '../reduce/figuresFromCounters.js';

/**
 * `footprint files`: every mapped file and every anonymous kind, summed over
 * the processes read, from their full smaps. Pure: the shell hands over each
 * process's mappings (one at a time, as SmapsSumsParser reads them: only what
 * is summed, so that a machine's million mappings are never held at once).
 */

/** How rows are keyed beside the file: by the program paying for it, and by permission (the article's code / data / relro split). */
export interface FileGrouping {
  /** `--by program`: one row per file and program. */
  byProgram: boolean;
  /** `--mappings`: one row per file and permission (r-xp, rw-p, r--p, ...). */
  byPermission: boolean;
}

/** The five figures of a row and swap, in bytes (model/figures.ts' rules). */
export type FileFigures = Pick<MemoryFigures, 'writable' | 'private' | 'shared' | 'pss' | 'rss' | 'swap'>;

export interface FileRow extends FileFigures {
  /**
   * The file's path as the kernel prints it in maps (a newline in it is \012),
   * or a kind with no file: [heap], [stack], [anonymous], [shared anonymous],
   * [vdso], [anon:NAME]; /memfd:NAME and /SYSV0000abcd name shared memory.
   */
  path: string;
  /** What the memory is (reduce/classifyMapping.ts): file, anonymous, heap, stack, shared-memory, kernel. */
  kind: RegionKind;
  /** The file was unlinked (or replaced: an upgraded library) while mapped; never set for memfd, SysV or shared anonymous memory, which are "(deleted)" by birth. */
  deleted: boolean;
  /** With byProgram: the program paying for these mappings. */
  program?: string;
  /** With byPermission: the mappings' permissions, e.g. "rw-p". */
  permissions?: string;
  /** How many processes map it. */
  processes: number;
  /** How many mappings (VMAs) over those processes. */
  mappings: number;
}

/** The process whose mappings follow: its PID and its program's name (reduce/programName.ts, the report's group key). */
export interface MappingOwner {
  pid: number;
  program: string;
}

/** The counters a row sums, fewer than MemoryCounters: a machine has a million mappings. */
interface RowSum {
  row: FileRow;
  /** The PID of the last process counted, so that a process's many mappings of one file count it once (also handed over in parts). */
  lastPid: number;
  rss: number;
  pss: number;
  privateClean: number;
  privateDirty: number;
  privateHugetlb: number;
  swap: number;
  swapPss: number | undefined;
}

/** What memfd, SysV and shared anonymous memory are named by: their "(deleted)" says nothing. */
const BORN_DELETED = /^\/(?:memfd:|SYSV[0-9a-f]{8}$|dev\/zero$)/;

/** A row's name: one per library whatever its mappings, the kinds with no file by kind. */
function rowPath(mapping: MappingSums, kind: RegionKind): { path: string; deleted: boolean } {
  const { backing } = mapping;
  switch (backing.kind) {
    case 'anonymous':
      return { path: mapping.permissions.shared ? '[shared anonymous]' : '[anonymous]', deleted: false };
    case 'pseudo':
      // One stack row, whatever thread's ([stack:TID] on kernels before 4.5).
      return { path: kind === 'stack' ? '[stack]' : backing.name, deleted: false };
    case 'path':
      if (backing.path === '/dev/zero' && mapping.permissions.shared) return { path: '[shared anonymous]', deleted: false };
      return { path: backing.path, deleted: backing.deleted && !BORN_DELETED.test(backing.path) };
  }
}

/**
 * The files' rows, summed a mapping at a time: beginProcess, then each of its
 * mappings (add), then the next process; result() once all are in. A process
 * is handed over as one run of mappings (in one part or several in a row).
 */
export class FileUsageSum {
  private readonly sums = new Map<string, RowSum>();
  private owner: MappingOwner | undefined;
  /** Processes handed over, and the distinct PIDs among them (a PID handed over twice is one process). */
  private readonly pids = new Set<number>();

  constructor(private readonly grouping: FileGrouping = { byProgram: false, byPermission: false }) {}

  beginProcess(owner: MappingOwner): void {
    this.owner = owner;
    this.pids.add(owner.pid);
  }

  add(mapping: MappingSums): void {
    const owner = this.owner;
    if (owner === undefined) throw new Error('FileUsageSum.add before beginProcess');
    const kind = regionKind(mapping);
    const { path, deleted } = rowPath(mapping, kind);
    const permissions = mapping.permissions.text;
    // A NUL cannot be in a path or a program's name: the parts cannot run into each other.
    let key = deleted ? `${path}\0d` : path;
    if (this.grouping.byProgram) key += `\0${owner.program}`;
    if (this.grouping.byPermission) key += `\0${permissions}`;
    let sum = this.sums.get(key);
    if (sum === undefined) {
      const row: FileRow = { path, kind, deleted, processes: 0, mappings: 0, writable: 0, private: 0, shared: 0, pss: 0, rss: 0, swap: 0 };
      if (this.grouping.byProgram) row.program = owner.program;
      if (this.grouping.byPermission) row.permissions = permissions;
      sum = { row, lastPid: -1, rss: 0, pss: 0, privateClean: 0, privateDirty: 0, privateHugetlb: 0, swap: 0, swapPss: undefined };
      this.sums.set(key, sum);
    }
    if (sum.lastPid !== owner.pid) {
      sum.lastPid = owner.pid;
      sum.row.processes++;
    }
    sum.row.mappings++;
    sum.rss += mapping.rss;
    sum.pss += mapping.pss;
    sum.privateClean += mapping.privateClean;
    sum.privateDirty += mapping.privateDirty;
    sum.privateHugetlb += mapping.privateHugetlb;
    sum.swap += mapping.swap;
    if (mapping.swapPss !== undefined) sum.swapPss = (sum.swapPss ?? 0) + mapping.swapPss;
  }

  /** Every row with its figures, largest writable first (then private, RSS, path); and how many processes were read. */
  result(): FileUsage {
    const rows: FileRow[] = [];
    for (const sum of this.sums.values()) {
      const counters = emptyCounters();
      counters.rss = sum.rss;
      counters.pss = sum.pss;
      counters.privateClean = sum.privateClean;
      counters.privateDirty = sum.privateDirty;
      counters.privateHugetlb = sum.privateHugetlb;
      counters.swap = sum.swap;
      counters.swapPss = sum.swapPss;
      const figures = figuresFromCounters(counters);
      const { row } = sum;
      row.writable = figures.writable;
      row.private = figures.private;
      row.shared = figures.shared;
      row.pss = figures.pss;
      row.rss = figures.rss;
      row.swap = figures.swap;
      rows.push(row);
    }
    return { rows: rankFileRows(rows, 'writable'), processes: this.pids.size };
  }
}

export interface FileUsage {
  rows: FileRow[];
  /** How many processes' mappings were summed. */
  processes: number;
}

/** The figures rows can be ranked by. */
export type FileSortKey = keyof FileFigures;

/** Largest `by` first; ties by writable, private, RSS, then path, program and permissions, so that the order is the same every time. */
export function rankFileRows(rows: readonly FileRow[], by: FileSortKey): FileRow[] {
  const text = (a: string | undefined, b: string | undefined): number => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  return [...rows].sort((a, b) => b[by] - a[by] || b.writable - a.writable || b.private - a.private || b.rss - a.rss
    || text(a.path, b.path) || text(a.program, b.program) || text(a.permissions, b.permissions) || Number(a.deleted) - Number(b.deleted));
}

/** The files' rows of whole processes' mappings (FileUsageSum), for a caller that holds them already (as either parser reads them). */
export function sumFileUsage(processes: readonly { owner: MappingOwner; mappings: readonly (SmapsMapping | MappingSums)[] }[], grouping?: FileGrouping): FileUsage {
  const sum = new FileUsageSum(grouping);
  for (const { owner, mappings } of processes) {
    sum.beginProcess(owner);
    for (const mapping of mappings) sum.add('counters' in mapping ? sumsOfMapping(mapping) : mapping);
  }
  return sum.result();
}
