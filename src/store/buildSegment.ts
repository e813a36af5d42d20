import { HISTORY_METRICS } from '../reduce/historyMetrics.js';
import { decodeReport, type ReportRead } from './readReport.js';
import { readKeyedFile } from './readKeyedFile.js';
import { SEGMENT_COLUMNS, sameFileKey, type FileKey, type Segment, type SegmentColumn, type SegmentFile } from './indexSegment.js';

export interface BuiltSegment {
  day: string;
  files: SegmentFile[];
  names: string[];
  rowCount: number;
  /** Every column as doubles: ids, bytes; at least rowCount long, and the scratch's own arrays (valid until its next use). */
  columns: Record<SegmentColumn, Float64Array>;
}

/**
 * Column arrays and a file buffer that one thread reuses from day to day. A year's rebuild
 * otherwise allocates and drops megabytes of arrays per day, which live long
 * enough to be collected only by full collections: tens of MB of RSS per thread.
 */
export interface ColumnScratch {
  capacity: number;
  columns: Record<SegmentColumn, Float64Array>;
  /** The bytes of the report file being read. */
  file: { bytes: Buffer };
}

export function newColumnScratch(capacity = 1024): ColumnScratch {
  return { capacity, columns: allocate(capacity), file: { bytes: Buffer.allocUnsafe(64 * 1024) } };
}

/**
 * Summarises one day's reports into a segment. Each file's key (size, times,
 * inode) is taken from the open file it is read from, so it describes exactly
 * what was read: if the file changes later, the key no longer matches and the
 * next run rebuilds the day. A file that `previous` (decoded with every column)
 * lists with the key it has in `keys` (stat'ed before) is not read again: its
 * rows are copied. Files gone meanwhile are left out.
 */
export function buildSegment(
  dir: string, day: string, fileNames: readonly string[], previous?: Segment, keys?: ReadonlyMap<string, FileKey>,
  scratch: ColumnScratch = newColumnScratch(),
): BuiltSegment {
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  const nameIdOf = (name: string) => {
    let id = nameIds.get(name);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      nameIds.set(name, id);
    }
    return id;
  };
  const kept = new Map((previous?.files ?? []).map((file) => [file.name, file]));
  let idOfOld: number[] | undefined;
  let columns = scratch.columns;
  let rowCount = 0;
  const ensure = (rows: number) => {
    if (rowCount + rows <= scratch.capacity) return;
    scratch.capacity = Math.max(rowCount + rows, scratch.capacity * 2);
    const grown = allocate(scratch.capacity);
    for (const column of SEGMENT_COLUMNS) grown[column].set(columns[column].subarray(0, rowCount));
    scratch.columns = columns = grown;
  };
  const segmentFiles: SegmentFile[] = [];
  for (const name of fileNames) {
    const old = kept.get(name);
    const key = keys?.get(name);
    if (previous && old && key && sameFileKey(old, key)) {
      ensure(old.rowCount);
      const oldIds = previous.columns.nameId!.values;
      // The old segment's name ids to this one's, looked up once per name rather than once per row.
      const idOf = (idOfOld ??= new Array<number>(previous.names.length).fill(-1));
      for (let row = 0; row < old.rowCount; row++) {
        const oldId = oldIds[old.firstRow + row];
        let id = idOf[oldId];
        if (id < 0) id = idOf[oldId] = nameIdOf(previous.names[oldId]);
        columns.nameId[rowCount + row] = id;
      }
      for (const metric of HISTORY_METRICS) {
        const { values, scale } = previous.columns[metric]!;
        const target = columns[metric];
        for (let row = 0; row < old.rowCount; row++) target[rowCount + row] = values[old.firstRow + row] * scale;
      }
      segmentFiles.push({ ...old, firstRow: rowCount });
      rowCount += old.rowCount;
      continue;
    }
    const file = readKeyedFile(dir, name, scratch.file);
    if (file.status === 'gone') continue;
    const result: ReportRead = file.status === 'read' ? decodeReport(file.data) : { ok: false, reason: file.reason };
    if (!result.ok) {
      segmentFiles.push({ ...file.key, bad: result.reason, firstRow: rowCount, rowCount: 0 });
      continue;
    }
    const { report } = result;
    ensure(report.groups.length);
    const firstRow = rowCount;
    // Spelled out rather than looped over HISTORY_METRICS: this runs for every group of a year of reports.
    const { nameId, writable, private: privateBytes, ram, pss, swap } = columns;
    for (const group of report.groups) {
      nameId[rowCount] = nameIdOf(group.name);
      writable[rowCount] = group.writable;
      privateBytes[rowCount] = group.private;
      ram[rowCount] = group.ram;
      pss[rowCount] = group.pss;
      swap[rowCount] = group.swap;
      rowCount++;
    }
    segmentFiles.push({
      ...file.key, timeMs: Date.parse(report.time), groupBy: report.groupBy, host: report.host, firstRow, rowCount: report.groups.length,
    });
  }
  return { day, files: segmentFiles, names, rowCount, columns };
}

function allocate(capacity: number): Record<SegmentColumn, Float64Array> {
  return Object.fromEntries(SEGMENT_COLUMNS.map((column) => [column, new Float64Array(capacity)])) as Record<SegmentColumn, Float64Array>;
}
