import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { buildSegment, newColumnScratch } from './buildSegment.js';
import {
  SEGMENT_COLUMNS, decodeSegment, encodeSegment, sameFileKey, type FileKey, type Segment, type SegmentColumn,
} from './indexSegment.js';
import { listReportDays } from './listReportDays.js';
import { SEGMENT_CAP_BYTES, readBoundedFile } from './readBoundedFile.js';

/**
 * The history index: one segment per UTC day in DIR/.footprint-index,
 * summarising that day's reports (see indexSegment.ts). A segment is used only
 * if it lists exactly the day's report files with the same size, mtime, ctime
 * and inode; otherwise the day is brought up to date from the reports (rows of
 * files that did not change are kept, the others read again) and the segment
 * rewritten. So the index can be deleted at any time, and never disagrees with
 * the reports it summarises.
 */
export const INDEX_DIR_NAME = '.footprint-index';
const WORKER_FLAG = 'footprintIndexWorker';
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
}

/**
 * A rebuilding thread holds one day: its reports parsed one at a time and the
 * day's columns. Small heaps keep the peak RSS of a year's rebuild low; the
 * young generation is where parsed reports die, so it stays small too.
 */
export const WORKER_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };

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

function readSegment(dir: string, day: string, wanted: readonly SegmentColumn[]): Segment | undefined {
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

function writeSegment(dir: string, day: string, data: Buffer): void {
  try {
    mkdirSync(join(dir, INDEX_DIR_NAME), { recursive: true, mode: 0o700 });
    const target = segmentPath(dir, day);
    const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temp, data, { mode: 0o600 });
      renameSync(temp, target);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // Never created.
      }
      throw error;
    }
  } catch {
    // Read-only or full: the answer is still right, only slower next time.
  }
}

/**
 * Brings one day's segment up to date with the day's files and returns it with
 * the `wanted` columns. Each key is taken from the file read (buildSegment): a
 * file that changes after that no longer matches its key, and the next run
 * updates the day again. Rows of files that the old segment lists unchanged
 * are kept, so a day with one new report costs one report read.
 */
export function refreshDay(dir: string, day: string, names: readonly string[], wanted: readonly SegmentColumn[]): Segment {
  const previous = readSegment(dir, day, SEGMENT_COLUMNS);
  // Without an old segment there is nothing to compare: each file's key is taken as it is read.
  const keys = previous ? statDayFiles(dir, names) : undefined;
  if (previous && isCurrent(previous, keys!)) return pick(previous, wanted);
  const built = buildSegment(dir, day, names, previous, keys && new Map(keys.map((key) => [key.name, key])), scratch);
  writeSegment(dir, day, encodeSegment(built, built.columns));
  const columns: Segment['columns'] = {};
  for (const column of wanted) columns[column] = { values: built.columns[column].slice(0, built.rowCount), scale: 1 };
  return { day: built.day, files: built.files, names: built.names, rowCount: built.rowCount, columns };
}

/** This thread's column arrays for rebuilding, reused from day to day (see ColumnScratch). */
const scratch = newColumnScratch();

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
  const stale: DayNames[] = [];
  for (const day of days) {
    const segment = readSegment(dir, day.day, wanted);
    if (segment && isCurrent(segment, statDayFiles(dir, day.names))) onSegment(segment);
    else stale.push(day);
  }
  const workers = Math.min(options.workers ?? availableParallelism(), stale.length);
  if (workers === 0 || stale.length < MIN_DAYS_FOR_WORKERS) {
    for (const day of stale) onSegment(refreshDay(dir, day.day, day.names, wanted));
    return;
  }
  await refreshInWorkers(dir, stale, wanted, workers, onSegment);
}

/**
 * Brings the segments of `days` up to date after reports were saved or pruned
 * (a day left without reports loses its segment), so that `history` finds the
 * index current. Only the directory entries of those days are looked at:
 * `listing` (their names, by day, in time order) when the caller has them.
 * Returns the files of those days that are no usable report, with the reason.
 */
export function updateIndex(
  dir: string, days: ReadonlySet<string>, listing: ReadonlyMap<string, string[]> = listReportDays(dir, days),
): { name: string; reason: string }[] {
  const unusable: { name: string; reason: string }[] = [];
  for (const day of days) {
    const names = listing.get(day);
    if (names) {
      for (const file of refreshDay(dir, day, names, []).files) {
        if (file.bad !== undefined) unusable.push({ name: file.name, reason: file.bad });
      }
      continue;
    }
    try {
      unlinkSync(segmentPath(dir, day));
    } catch {
      // No segment, or not ours to remove.
    }
  }
  return unusable;
}

interface WorkerRequest {
  dir: string;
  day: DayNames;
  wanted: SegmentColumn[];
}

function refreshInWorkers(
  dir: string, stale: DayNames[], wanted: readonly SegmentColumn[], count: number, onSegment: (segment: Segment) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let running = count;
    let failed = false;
    const pool: Worker[] = [];
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      for (const each of pool) void each.terminate();
      reject(error);
    };
    const assign = (worker: Worker) => {
      if (failed) return;
      if (next < stale.length) {
        const request: WorkerRequest = { dir, day: stale[next++], wanted: [...wanted] };
        worker.postMessage(request);
        return;
      }
      void worker.terminate();
      if (--running === 0) resolve();
    };
    for (let index = 0; index < count; index++) {
      const worker = new Worker(new URL(import.meta.url), { workerData: { [WORKER_FLAG]: true }, resourceLimits: WORKER_LIMITS });
      pool.push(worker);
      worker.on('message', (segment: Segment) => {
        try {
          onSegment(segment);
        } catch (error) {
          fail(error);
          return;
        }
        assign(worker);
      });
      worker.on('error', fail);
      assign(worker);
    }
  });
}

/** Drops segments of days that no longer have any report (pruned or deleted), and hour-old temporary files. */
export function removeOrphanSegments(dir: string, daysWithReports: ReadonlySet<string>, nowMs = Date.now()): void {
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
      const leftOver = match[2] !== undefined && nowMs - statSync(path).mtimeMs > 3_600_000;
      if (leftOver || (match[2] === undefined && !daysWithReports.has(match[1]))) unlinkSync(path);
    } catch {
      // Not ours to remove, or already gone.
    }
  }
}

/** The columns' buffers, to move rather than copy to the main thread; each column gets a buffer of its own. */
function transferable(segment: Segment): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const column of Object.values(segment.columns)) {
    const { values } = column;
    const own = values.byteOffset === 0 && values.byteLength === values.buffer.byteLength && !buffers.includes(values.buffer as ArrayBuffer);
    column.values = own ? values : values.slice();
    buffers.push(column.values.buffer as ArrayBuffer);
  }
  return buffers;
}

// Loaded as a worker (new Worker(import.meta.url)), this module refreshes the days it is sent.
if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) {
  const port = parentPort;
  port.on('message', ({ dir, day, wanted }: WorkerRequest) => {
    const segment = refreshDay(dir, day.day, day.names, wanted);
    port.postMessage(segment, transferable(segment));
  });
}
