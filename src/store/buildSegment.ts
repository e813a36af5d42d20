import { join } from 'node:path';
import { HISTORY_METRICS } from '../reduce/historyMetrics.js';
import { tryReadReport } from './readReport.js';
import { SEGMENT_COLUMNS, type FileKey, type SegmentColumn, type SegmentFile } from './indexSegment.js';

export interface BuiltSegment {
  day: string;
  files: SegmentFile[];
  names: string[];
  rowCount: number;
  /** Every column as doubles: ids, bytes. */
  columns: Record<SegmentColumn, Float64Array>;
}

/**
 * Reads every report of one day and summarises it into a segment. `files`
 * carry the keys taken by stat before reading: if a file changes after that,
 * its key no longer matches and the next run rebuilds the day.
 */
export function buildSegment(dir: string, day: string, files: readonly FileKey[]): BuiltSegment {
  const names: string[] = [];
  const nameIds = new Map<string, number>();
  let capacity = 4096;
  let columns = allocate(capacity);
  let rowCount = 0;
  const segmentFiles: SegmentFile[] = [];
  for (const key of files) {
    const result = tryReadReport(join(dir, key.name));
    if (!result.ok) {
      segmentFiles.push({ ...key, bad: result.reason, firstRow: rowCount, rowCount: 0 });
      continue;
    }
    const { report } = result;
    if (rowCount + report.groups.length > capacity) {
      capacity = Math.max(rowCount + report.groups.length, capacity * 2);
      const grown = allocate(capacity);
      for (const column of SEGMENT_COLUMNS) grown[column].set(columns[column].subarray(0, rowCount));
      columns = grown;
    }
    const firstRow = rowCount;
    const ids = columns.nameId;
    for (const group of report.groups) {
      let id = nameIds.get(group.name);
      if (id === undefined) {
        id = names.length;
        names.push(group.name);
        nameIds.set(group.name, id);
      }
      ids[rowCount] = id;
      for (const metric of HISTORY_METRICS) columns[metric][rowCount] = group[metric];
      rowCount++;
    }
    segmentFiles.push({
      ...key, timeMs: Date.parse(report.time), groupBy: report.groupBy, host: report.host, firstRow, rowCount: report.groups.length,
    });
  }
  return { day, files: segmentFiles, names, rowCount, columns };
}

function allocate(capacity: number): Record<SegmentColumn, Float64Array> {
  return Object.fromEntries(SEGMENT_COLUMNS.map((column) => [column, new Float64Array(capacity)])) as Record<SegmentColumn, Float64Array>;
}
