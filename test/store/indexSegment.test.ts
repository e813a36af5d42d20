import { deflateRawSync } from 'node:zlib';
import { INDEX_FORMAT, SEGMENT_COLUMNS, decodeSegment, encodeSegment, sameFileKey, type SegmentColumn, type SegmentFile } from '../../src/store/indexSegment.js';

const KiB = 1024;
const files: SegmentFile[] = [
  { name: '2026-11-25T000000Z.json.gz', size: 100, mtimeMs: 1.5, ctimeMs: 2.5, ino: 7, timeMs: 1_795_000_000_000, groupBy: 'program', host: 'h', firstRow: 0, rowCount: 2 },
  { name: '2026-11-25T000500Z.json.gz', size: 5, mtimeMs: 3, ctimeMs: 4, ino: 8, bad: 'not JSON (x)', firstRow: 2, rowCount: 0 },
  { name: '2026-11-25T001000Z.json', size: 200, mtimeMs: 5, ctimeMs: 6, ino: 9, timeMs: 1_795_000_600_000, groupBy: 'program', host: 'h', firstRow: 2, rowCount: 1 },
];

function columns(overrides: Partial<Record<SegmentColumn, number[]>> = {}): Record<SegmentColumn, Float64Array> {
  const base: Record<SegmentColumn, number[]> = {
    nameId: [0, 1, 0], writable: [4 * KiB, 8 * KiB, 12 * KiB], private: [5 * KiB, 9 * KiB, 13 * KiB],
    ram: [6 * KiB, 10 * KiB, 14 * KiB], pss: [7 * KiB, 11 * KiB, 15 * KiB], swap: [0, 0, KiB], ...overrides,
  };
  // One spare element: encode must use only rowCount of them.
  return Object.fromEntries(SEGMENT_COLUMNS.map((column) => [column, Float64Array.from([...base[column], 99])])) as Record<SegmentColumn, Float64Array>;
}

const segment = { day: '2026-11-25', files, names: ['a', 'b'], rowCount: 3 };

describe('index segment encoding', () => {
  test('round trip: whole KiB figures are kept as u32 KiB, the file list and names exactly', () => {
    const decoded = decodeSegment(encodeSegment(segment, columns()), SEGMENT_COLUMNS)!;
    expect({ day: decoded.day, files: decoded.files, names: decoded.names, rowCount: decoded.rowCount })
      .toEqual({ day: '2026-11-25', files, names: ['a', 'b'], rowCount: 3 });
    expect(decoded.columns.nameId!.values).toBeInstanceOf(Uint32Array);
    expect([...decoded.columns.nameId!.values]).toEqual([0, 1, 0]);
    expect(decoded.columns.nameId!.scale).toBe(1);
    expect(decoded.columns.writable!.values).toBeInstanceOf(Uint32Array);
    expect(decoded.columns.writable!.scale).toBe(1024);
    expect([...decoded.columns.writable!.values]).toEqual([4, 8, 12]);
    expect([...decoded.columns.swap!.values].map((value) => value * decoded.columns.swap!.scale)).toEqual([0, 0, KiB]);
  });

  test('a figure that is not whole KiB, or beyond u32 KiB, makes that column f64 bytes; the others stay u32', () => {
    const big = 2 ** 32 * KiB; // 4 TiB: one more than u32 KiB holds
    const decoded = decodeSegment(encodeSegment(segment, columns({ writable: [4 * KiB, 8 * KiB + 1, 12 * KiB], ram: [big, 0, 0] })), SEGMENT_COLUMNS)!;
    expect(decoded.columns.writable!.values).toBeInstanceOf(Float64Array);
    expect(decoded.columns.writable!.scale).toBe(1);
    expect([...decoded.columns.writable!.values]).toEqual([4 * KiB, 8 * KiB + 1, 12 * KiB]);
    expect(decoded.columns.ram!.values).toBeInstanceOf(Float64Array);
    expect([...decoded.columns.ram!.values]).toEqual([big, 0, 0]);
    expect(decoded.columns.private!.values).toBeInstanceOf(Uint32Array);
  });

  test('only the wanted columns are decoded', () => {
    const decoded = decodeSegment(encodeSegment(segment, columns()), ['nameId', 'pss'])!;
    expect(Object.keys(decoded.columns).sort()).toEqual(['nameId', 'pss']);
    expect([...decoded.columns.pss!.values]).toEqual([7, 11, 15]);
  });

  test('an empty day round-trips', () => {
    const empty = { day: '2026-11-24', files: [], names: [], rowCount: 0 };
    const decoded = decodeSegment(encodeSegment(empty, columns()), SEGMENT_COLUMNS)!;
    expect(decoded.rowCount).toBe(0);
    expect(decoded.columns.writable!.values.length).toBe(0);
  });

  describe('damaged data decodes to undefined', () => {
    const good = encodeSegment(segment, columns());
    const headerLength = good.readUInt32LE(8);
    const blocks = 12 + headerLength;
    const cases: [string, () => Buffer][] = [
      ['empty', () => Buffer.alloc(0)],
      ['another magic', () => Buffer.concat([Buffer.from('FPIDX1\n\0'), good.subarray(8)])],
      ['cut inside the header', () => good.subarray(0, 40)],
      ['header length past the end', () => { const copy = Buffer.from(good); copy.writeUInt32LE(good.length, 8); return copy; }],
      ['header not JSON', () => { const copy = Buffer.from(good); copy[12] = 0x41; return copy; }],
      ['cut inside the columns', () => good.subarray(0, good.length - 3)],
      ['a column of the wrong length', () => {
        const header = JSON.parse(good.toString('utf8', 12, blocks));
        const block = deflateRawSync(Buffer.alloc(8));
        header.columns = header.columns.map((info: { column: string }, index: number) => ({ ...info, offset: 0, length: block.length, column: index === 0 ? 'nameId' : info.column }));
        const text = Buffer.from(JSON.stringify(header));
        const length = Buffer.alloc(4);
        length.writeUInt32LE(text.length);
        return Buffer.concat([good.subarray(0, 8), length, text, block]);
      }],
      ['a row count far beyond what the columns can hold (no huge allocation)', () => {
        const header = JSON.parse(good.toString('utf8', 12, blocks));
        const text = Buffer.from(JSON.stringify({ ...header, rowCount: 2 ** 28 }));
        const length = Buffer.alloc(4);
        length.writeUInt32LE(text.length);
        return Buffer.concat([good.subarray(0, 8), length, text, good.subarray(blocks)]);
      }],
      ['garbage where a column is', () => { const copy = Buffer.from(good); copy.fill(0xff, blocks, good.length); return copy; }],
    ];
    test.each(cases)('%s', (_label, make) => {
      expect(decodeSegment(make(), SEGMENT_COLUMNS)).toBeUndefined();
    });

    test('another format version', () => {
      const header = JSON.parse(good.toString('utf8', 12, blocks));
      expect(header.format).toBe(INDEX_FORMAT);
      const text = Buffer.from(JSON.stringify({ ...header, format: 'footprint.index/1' }));
      const length = Buffer.alloc(4);
      length.writeUInt32LE(text.length);
      expect(decodeSegment(Buffer.concat([good.subarray(0, 8), length, text, good.subarray(blocks)]), SEGMENT_COLUMNS)).toBeUndefined();
    });
  });

  test('sameFileKey compares name, size, mtime, ctime and inode', () => {
    const key = { name: 'n', size: 1, mtimeMs: 2, ctimeMs: 3, ino: 4 };
    expect(sameFileKey(key, { ...key })).toBe(true);
    for (const change of [{ name: 'm' }, { size: 2 }, { mtimeMs: 2.5 }, { ctimeMs: 4 }, { ino: 5 }]) {
      expect(sameFileKey(key, { ...key, ...change })).toBe(false);
    }
  });
});
