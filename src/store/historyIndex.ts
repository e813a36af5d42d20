import { lstatSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { buildSegment, newColumnScratch, type ColumnScratch } from './buildSegment.js';
import {
  SEGMENT_COLUMNS, decodeSegment, encodeSegment, sameFileKey, type FileKey, type Segment, type SegmentColumn,
} from './indexSegment.js';
import { listReportDays } from './listReportDays.js';
import { SEGMENT_CAP_BYTES, readBoundedFile } from './readBoundedFile.js';
import { refreshInWorkers } from './indexWorkerPool.js';
import { writeFileAtomically } from './writeFileAtomically.js';
import { makeOwnDirectory, ownDirectoryProblem } from './ownDirectory.js';

/**
 * The history index: one segment per UTC day in DIR/.footprint-index,
 * summarising that day's reports (see indexSegment.ts). A segment is used only
 * if it lists exactly the day's report files with the same size, mtime, ctime
 * and inode; otherwise the day is brought up to date from the reports (rows of
 * files that did not change are kept, the others read again) and the segment
 * rewritten. So the index can be deleted at any time, and never disagrees with
 * the reports it summarises. The index directory is footprint's own
 * (ownDirectory.ts): one that is a link, another user's, or in a report
 * directory another user can rearrange is neither read nor written
 * (indexDirectoryProblem), and every day is then read from the reports.
 */
export const INDEX_DIR_NAME = '.footprint-index';
/** Below this many days to rebuild, starting threads costs more than it saves. */
const MIN_DAYS_FOR_WORKERS = 4;

/** One UTC day and the names of its report files, in time order (listReportDays). */
export interface DayNames {
  day: string;
  names: readonly string[];
}

export interface IndexOptions {
  /** Worker threads for rebuilding; 0 rebuilds in this thread. Default: one per CPU. */
  workers?: number;
  /** false: the index directory is not to be trusted (indexDirectoryProblem): nothing is read from it or written to it. */
  useIndex?: boolean;
}

export function indexDirectory(dir: string): string {
  return join(dir, INDEX_DIR_NAME);
}

/**
 * Why DIR/.footprint-index must not be used, or undefined: it is a link (to
 * another directory, where segments would be written and removed), not a
 * directory, another user's, writable by others, or DIR lets another user
 * rename it away (ownDirectoryProblem). Missing is fine: it is made when a segment is written.
 * A file of footprint's user in the way is fine too: it is neither a directory to read nor one to write into.
 */
export function indexDirectoryProblem(dir: string): string | undefined {
  const problem = ownDirectoryProblem(indexDirectory(dir));
  if (problem === undefined || !isOwnThingInTheWay(indexDirectory(dir))) return problem;
  // A file of the user's own at the name: no index can be kept, quietly, as on a read-only disk (nothing is written into a file).
  return undefined;
}

function isOwnThingInTheWay(path: string): boolean {
  try {
    const stats = lstatSync(path);
    return !stats.isDirectory() && !stats.isSymbolicLink() && stats.uid === (process.geteuid?.() ?? 0);
  } catch {
    return false;
  }
}

/** The one-line warning for a report directory whose index is not used. */
export function indexWarning(dir: string, problem: string): string {
  return `not using the history index ${indexDirectory(dir)}: ${problem}; reading the reports instead`;
}

/** The key of each named file of `dir`, taken now. Files removed meanwhile are left out. */
export function statDayFiles(dir: string, names: readonly string[]): FileKey[] {
  const keys: FileKey[] = [];
  for (const name of names) {
    let stats;
    try {
      stats = statSync(join(dir, name));
    } catch {
      continue;
    }
    keys.push({ name, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino });
  }
  return keys;
}

export function segmentPath(dir: string, day: string): string {
  return join(dir, INDEX_DIR_NAME, `${day}.idx`);
}

function readSegment(dir: string, day: string, wanted: readonly SegmentColumn[], useIndex: boolean): Segment | undefined {
  if (!useIndex) return undefined;
  // A segment that is not a regular file or is over its cap is as good as none: the day is rebuilt (and the segment replaced).
  const read = readBoundedFile(segmentPath(dir, day), SEGMENT_CAP_BYTES);
  if (!read.ok) return undefined;
  try {
    const segment = decodeSegment(read.data, wanted);
    return segment?.day === day ? segment : undefined;
  } catch {
    return undefined;
  }
}

/** True when `segment` lists exactly the files of `keys`, unchanged, in the same order. */
export function isCurrent(segment: Segment, keys: readonly FileKey[]): boolean {
  if (segment.files.length !== keys.length) return false;
  for (let index = 0; index < keys.length; index++) {
    if (!sameFileKey(segment.files[index], keys[index])) return false;
  }
  return true;
}

/**
 * A segment in place of the old one, whole or not at all. Not flushed to disk:
 * the index is checked against the reports at every use, and a segment a crash
 * left empty is as good as none (the day is rebuilt).
 */
function writeSegment(dir: string, day: string, data: Buffer): void {
  // Made here if missing, and looked at again: a link or another's directory put there since is not written into.
  if (makeOwnDirectory(indexDirectory(dir), 0o700) !== undefined) return;
  try {
    const target = segmentPath(dir, day);
    // DAY.idx.PID-RANDOM.tmp: removeOrphanSegments knows an hour-old one as a leftover.
    const tempPath = `${target}.${process.pid}-${Math.random().toString(16).slice(2, 10)}.tmp`;
    writeFileAtomically(target, data, { mode: 0o600, tempPath, flush: false, replaceStreams: true });
  } catch {
    // Read-only or full: the answer is still right, only slower next time.
  }
}

/**
 * Brings one day's segment up to date with the day's files and returns it with
 * the `wanted` columns. Each key is taken from the file read (buildSegment): a
 * file that changes after that no longer matches its key, and the next run
 * updates the day again. Rows of files that the old segment lists unchanged
 * are kept, so a day with one new report costs one report read. `scratch`: the
 * column arrays to build in, reused from day to day by a caller that refreshes many.
 */
export function refreshDay(
  dir: string, day: string, names: readonly string[], wanted: readonly SegmentColumn[], scratch: ColumnScratch = newColumnScratch(),
  useIndex = true,
): Segment {
  const previous = readSegment(dir, day, SEGMENT_COLUMNS, useIndex);
  // Without an old segment there is nothing to compare: each file's key is taken as it is read.
  const keys = previous ? statDayFiles(dir, names) : undefined;
  if (previous && isCurrent(previous, keys!)) return pick(previous, wanted);
  const built = buildSegment(dir, day, names, previous, keys && new Map(keys.map((key) => [key.name, key])), scratch);
  if (useIndex) writeSegment(dir, day, encodeSegment(built, built.columns));
  const columns: Segment['columns'] = {};
  for (const column of wanted) columns[column] = { values: built.columns[column].slice(0, built.rowCount), scale: 1 };
  return { day: built.day, files: built.files, names: built.names, rowCount: built.rowCount, columns };
}

function pick(segment: Segment, wanted: readonly SegmentColumn[]): Segment {
  const columns: Segment['columns'] = {};
  for (const column of wanted) columns[column] = segment.columns[column];
  return { ...segment, columns };
}

/**
 * Calls `onSegment` once for each day, in no particular order, from the index
 * where it is current and from the reports where it is not. Days are taken one
 * at a time, so that only one day's file keys and columns are held at once.
 */
export async function forEachSegment(
  dir: string, days: Iterable<DayNames>, wanted: readonly SegmentColumn[], onSegment: (segment: Segment) => void,
  options: IndexOptions = {},
): Promise<void> {
  const useIndex = options.useIndex !== false;
  const stale: DayNames[] = [];
  for (const day of days) {
    const segment = readSegment(dir, day.day, wanted, useIndex);
    if (segment && isCurrent(segment, statDayFiles(dir, day.names))) onSegment(segment);
    else stale.push(day);
  }
  const workers = Math.min(options.workers ?? availableParallelism(), stale.length);
  if (workers === 0 || stale.length < MIN_DAYS_FOR_WORKERS) {
    const scratch = newColumnScratch();
    for (const day of stale) onSegment(refreshDay(dir, day.day, day.names, wanted, scratch, useIndex));
    return;
  }
  await refreshInWorkers(stale.map((day) => ({ dir, day: day.day, names: day.names, wanted: [...wanted], useIndex })), workers, onSegment);
}

/**
 * Brings the segments of `days` up to date after reports were saved or pruned
 * (a day left without reports loses its segment), so that `history` finds the
 * index current. Only the directory entries of those days are looked at:
 * `listing` (their names, by day, in time order) when the caller has them.
 * Returns the files of those days that are no usable report, with the reason.
 */
export function updateIndex(
  dir: string, days: ReadonlySet<string>, listing: ReadonlyMap<string, string[]> = listReportDays(dir, days), useIndex = true,
): { name: string; reason: string }[] {
  const unusable: { name: string; reason: string }[] = [];
  const scratch = newColumnScratch();
  for (const day of days) {
    const names = listing.get(day);
    if (names) {
      for (const file of refreshDay(dir, day, names, [], scratch, useIndex).files) {
        if (file.bad !== undefined) unusable.push({ name: file.name, reason: file.bad });
      }
      continue;
    }
    if (!useIndex) continue;
    try {
      unlinkSync(segmentPath(dir, day));
    } catch {
      // No segment, or not ours to remove.
    }
  }
  return unusable;
}

/** Drops segments of days that no longer have any report (pruned or deleted), and hour-old temporary files. */
export function removeOrphanSegments(dir: string, daysWithReports: ReadonlySet<string>, nowMs = Date.now()): void {
  if (indexDirectoryProblem(dir) !== undefined) return;
  let names: string[];
  try {
    names = readdirSync(join(dir, INDEX_DIR_NAME));
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^(\d{4}-\d{2}-\d{2})\.idx(\..*\.tmp)?$/.exec(name);
    if (!match) continue;
    const path = join(dir, INDEX_DIR_NAME, name);
    try {
      // A temporary file may be another run's segment in progress: only an hour-old one is left over.
      const leftOver = match[2] !== undefined && nowMs - lstatSync(path).mtimeMs > 3_600_000;
      if (leftOver || (match[2] === undefined && !daysWithReports.has(match[1]))) unlinkSync(path);
    } catch {
      // Not ours to remove, or already gone.
    }
  }
}
