import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { HISTORY_METRICS, type HistoryMetric } from '../reduce/historyMetrics.js';
import { INDEX_FORMAT } from '../model/schemas.js';

/**
 * One day of the history index: for each report file of that UTC day, the key
 * that tells whether the file changed since (size, mtime, ctime, inode), and
 * for each of its groups the figures `history` can follow. Pure encoding; the
 * reading and writing live in historyIndex.ts.
 *
 * Layout: magic, u32 header length, header JSON, then one raw-deflate block
 * per column: group name ids, then each of HISTORY_METRICS. A query inflates
 * only the name ids and the metric it shows. Figures from smaps are whole KiB,
 * so a metric column holds u32 KiB when every figure of the day allows it (half
 * the size of doubles, and it compresses better), else f64 bytes.
 */
// INDEX_FORMAT /3: the reasons kept for unusable files no longer quote their content (an index of /2 may): rebuilt once.
export { INDEX_FORMAT };
const MAGIC = Buffer.from('FPIDX2\n\0', 'latin1');
const MAX_DEFLATE_RATIO = 1032;

/** What identifies one version of a file; any change makes the segment stale. */
export interface FileKey {
  name: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export interface SegmentFile extends FileKey {
  /** Why the file is not a usable report; absent when it is. */
  bad?: string;
  /** The report's own `time`, ms. */
  timeMs?: number;
  groupBy?: string;
  host?: string;
  /** Rows [firstRow, firstRow + rowCount) belong to this file. */
  firstRow: number;
  rowCount: number;
}

export type SegmentColumn = 'nameId' | HistoryMetric;
export const SEGMENT_COLUMNS: readonly SegmentColumn[] = ['nameId', ...HISTORY_METRICS];

export interface Segment {
  day: string;
  files: SegmentFile[];
  names: string[];
  rowCount: number;
  /** Decoded columns, only the ones asked for: value x scale = bytes (ids for nameId). */
  columns: Partial<Record<SegmentColumn, DecodedColumn>>;
}

export interface DecodedColumn {
  values: Float64Array | Uint32Array;
  scale: number;
}

interface ColumnInfo {
  column: SegmentColumn;
  /** 'u32' (KiB for metrics) or 'f64' (bytes). */
  type: 'u32' | 'f64';
  scale: number;
  offset: number;
  length: number;
}

interface SegmentHeader {
  format: string;
  day: string;
  files: SegmentFile[];
  names: string[];
  rowCount: number;
  columns: ColumnInfo[];
}

function packColumn(column: SegmentColumn, values: Float64Array, packed: Uint32Array): { type: 'u32' | 'f64'; scale: number; data: Uint8Array } {
  const scale = column === 'nameId' ? 1 : 1024;
  for (let index = 0; index < values.length; index++) {
    const scaled = values[index] / scale;
    // A u32 holds it exactly only if it is a whole number of units in range (NaN fails too).
    if (!(scaled >= 0 && scaled <= 0xffffffff && scaled === Math.floor(scaled))) {
      return { type: 'f64', scale: 1, data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
    }
    packed[index] = scaled;
  }
  return { type: 'u32', scale, data: new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength) };
}

/** `columns` holds every SEGMENT_COLUMN as doubles (ids, bytes), rowCount long. */
export function encodeSegment(segment: Omit<Segment, 'columns'>, columns: Record<SegmentColumn, Float64Array>): Buffer {
  const blocks: Buffer[] = [];
  const infos: ColumnInfo[] = [];
  let offset = 0;
  // One array for the packed figures of every column in turn: deflate is done with it before the next.
  const packed = new Uint32Array(segment.rowCount);
  for (const column of SEGMENT_COLUMNS) {
    const { type, scale, data } = packColumn(column, columns[column].subarray(0, segment.rowCount), packed);
    const block = deflateRawSync(data, { level: 1 });
    infos.push({ column, type, scale, offset, length: block.length });
    blocks.push(block);
    offset += block.length;
  }
  const header: SegmentHeader = {
    format: INDEX_FORMAT, day: segment.day, files: segment.files, names: segment.names, rowCount: segment.rowCount, columns: infos,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  return Buffer.concat([MAGIC, length, headerBytes, ...blocks]);
}

/**
 * The segment in `data` with the `wanted` columns, or undefined when it is not
 * one this version wrote or is damaged (then the day is rebuilt).
 */
export function decodeSegment(data: Buffer, wanted: readonly SegmentColumn[]): Segment | undefined {
  if (data.length < MAGIC.length + 4 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const headerLength = data.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4 + headerLength;
  if (start > data.length) return undefined;
  let header: SegmentHeader;
  try {
    header = JSON.parse(data.toString('utf8', MAGIC.length + 4, start)) as SegmentHeader;
  } catch {
    return undefined;
  }
  if (header.format !== INDEX_FORMAT || !Array.isArray(header.columns)) return undefined;
  const columns: Segment['columns'] = {};
  try {
    for (const column of wanted) {
      const info = header.columns.find((each) => each.column === column);
      if (!info || start + info.offset + info.length > data.length) return undefined;
      const width = info.type === 'u32' ? 4 : 8;
      const size = header.rowCount * width;
      // Deflate packs at most ~1032:1: a larger claim is damage, and must not size an allocation.
      if (!(size >= 0 && size <= info.length * MAX_DEFLATE_RATIO + 64)) return undefined;
      // Output of the expected size in one piece: no growing chunks to join and drop.
      const raw = inflateRawSync(data.subarray(start + info.offset, start + info.offset + info.length), {
        chunkSize: Math.max(64, size), maxOutputLength: Math.max(64, size),
      });
      if (raw.length !== header.rowCount * width) return undefined;
      // inflate's output is its own allocation; copy only if a pool left it misaligned.
      const bytes = raw.byteOffset % width === 0 ? raw : Buffer.from(raw);
      const view = info.type === 'u32'
        ? new Uint32Array(bytes.buffer, bytes.byteOffset, header.rowCount)
        : new Float64Array(bytes.buffer, bytes.byteOffset, header.rowCount);
      columns[column] = { values: view, scale: info.scale };
    }
  } catch {
    return undefined;
  }
  return { day: header.day, files: header.files, names: header.names, rowCount: header.rowCount, columns };
}

export function sameFileKey(a: FileKey, b: FileKey): boolean {
  return a.name === b.name && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}
