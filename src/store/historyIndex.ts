import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { buildSegment } from './buildSegment.js';
import { decodeSegment, encodeSegment, sameFileKey, type FileKey, type Segment, type SegmentColumn } from './indexSegment.js';
import type { StoredReport } from './listReports.js';

/**
 * The history index: one gzip segment per UTC day in DIR/.footprint-index,
 * summarising that day's reports (see indexSegment.ts). A segment is used only
 * if it lists exactly the day's report files with the same size, mtime, ctime
 * and inode; otherwise the day is re-read from the reports and the segment
 * rewritten. So the index can be deleted at any time, and never disagrees with
 * the reports it summarises.
 */
export const INDEX_DIR_NAME = '.footprint-index';
const WORKER_FLAG = 'footprintIndexWorker';
/** Below this many days to rebuild, starting threads costs more than it saves. */
const MIN_DAYS_FOR_WORKERS = 4;

export interface DayFiles {
  day: string;
  files: FileKey[];
}

export interface IndexOptions {
  /** Worker threads for rebuilding; 0 rebuilds in this thread. Default: one per CPU. */
  workers?: number;
}

/** Rebuilding parses whole reports; a small heap per thread keeps the peak RSS of a year's rebuild low. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };

/** Groups listed reports by UTC day and takes each file's key. Files removed meanwhile are left out. */
export function statReportDays(reports: readonly StoredReport[]): DayFiles[] {
  const days = new Map<string, FileKey[]>();
  for (const report of reports) {
    let stats;
    try {
      stats = statSync(report.path);
    } catch {
      continue;
    }
    const key: FileKey = { name: report.name, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
    const files = days.get(report.day);
    if (files) files.push(key);
    else days.set(report.day, [key]);
  }
  return [...days].map(([day, files]) => ({ day, files }));
}

function segmentPath(dir: string, day: string): string {
  return join(dir, INDEX_DIR_NAME, `${day}.idx`);
}

function readValidSegment(dir: string, day: DayFiles, wanted: readonly SegmentColumn[]): Segment | undefined {
  let segment: Segment | undefined;
  try {
    segment = decodeSegment(readFileSync(segmentPath(dir, day.day)), wanted);
  } catch {
    return undefined;
  }
  if (!segment || segment.day !== day.day || segment.files.length !== day.files.length) return undefined;
  for (let index = 0; index < day.files.length; index++) {
    if (!sameFileKey(segment.files[index], day.files[index])) return undefined;
  }
  return segment;
}

/** Rebuilds one day and stores its segment; an unwritable directory only costs the next run a rebuild. */
function rebuildDay(dir: string, day: DayFiles, wanted: readonly SegmentColumn[]): Segment {
  const built = buildSegment(dir, day.day, day.files);
  const encoded = encodeSegment(built, built.columns);
  try {
    mkdirSync(join(dir, INDEX_DIR_NAME), { recursive: true, mode: 0o700 });
    const target = segmentPath(dir, day.day);
    const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, encoded, { mode: 0o600 });
    renameSync(temp, target);
  } catch {
    // Read-only or full: the answer is still right, only slower next time.
  }
  const columns: Segment['columns'] = {};
  // slice(): a worker posts this back, and a view would carry its whole buffer.
  for (const column of wanted) columns[column] = { values: built.columns[column].slice(0, built.rowCount), scale: 1 };
  return { day: built.day, files: built.files, names: built.names, rowCount: built.rowCount, columns };
}

/**
 * Calls `onSegment` once for each day, in no particular order, from the index
 * where it is current and from the reports where it is not.
 */
export async function forEachSegment(
  dir: string, days: readonly DayFiles[], wanted: readonly SegmentColumn[], onSegment: (segment: Segment) => void,
  options: IndexOptions = {},
): Promise<void> {
  const stale: DayFiles[] = [];
  for (const day of days) {
    const segment = readValidSegment(dir, day, wanted);
    if (segment) onSegment(segment);
    else stale.push(day);
  }
  const workers = Math.min(options.workers ?? availableParallelism(), stale.length);
  if (workers === 0 || stale.length < MIN_DAYS_FOR_WORKERS) {
    for (const day of stale) onSegment(rebuildDay(dir, day, wanted));
    return;
  }
  await rebuildInWorkers(dir, stale, wanted, workers, onSegment);
}

function rebuildInWorkers(
  dir: string, stale: DayFiles[], wanted: readonly SegmentColumn[], count: number, onSegment: (segment: Segment) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let running = count;
    let failed = false;
    const pool: Worker[] = [];
    const assign = (worker: Worker) => {
      if (failed) return;
      if (next < stale.length) {
        worker.postMessage({ dir, day: stale[next++], wanted });
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
          failed = true;
          for (const each of pool) void each.terminate();
          reject(error);
          return;
        }
        assign(worker);
      });
      worker.on('error', (error) => {
        failed = true;
        for (const each of pool) void each.terminate();
        reject(error);
      });
      assign(worker);
    }
  });
}

/** Drops segments of days that no longer have any report (pruned or deleted). */
export function removeOrphanSegments(dir: string, daysWithReports: ReadonlySet<string>): void {
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
      const leftOver = match[2] !== undefined && Date.now() - statSync(path).mtimeMs > 3_600_000;
      if (leftOver || (match[2] === undefined && !daysWithReports.has(match[1]))) unlinkSync(path);
    } catch {
      // Not ours to remove, or already gone.
    }
  }
}

// Loaded as a worker (new Worker(import.meta.url)), this module rebuilds the days it is sent.
if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) {
  const port = parentPort;
  port.on('message', ({ dir, day, wanted }: { dir: string; day: DayFiles; wanted: SegmentColumn[] }) => {
    port.postMessage(rebuildDay(dir, day, wanted));
  });
}
