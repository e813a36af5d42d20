import { checkReport } from '../../src/store/validateReport.js';
import { decodeReport } from '../../src/store/readReport.js';
import { gzipSync } from 'node:zlib';
import { MiB, group, report } from '../helpers/storeFixtures.js';

const good = () => JSON.parse(JSON.stringify(report('2026-11-25T17:45:12.000Z', [group('a', MiB), group('b', 2 * MiB)])));

function reasonFor(change: (value: Record<string, any>) => unknown): string | undefined {
  const value = good();
  const replaced = change(value);
  const result = checkReport(replaced === undefined ? value : replaced);
  return result.ok ? undefined : result.reason;
}

describe('checkReport', () => {
  test('a footprint.report/1 document passes, and is returned as it is', () => {
    const value = good();
    expect(checkReport(value)).toEqual({ ok: true, report: value });
    expect((checkReport(value) as { report: unknown }).report).toBe(value);
  });

  test.each<[string, (value: Record<string, any>) => unknown, string]>([
    ['an array', () => [], 'not a footprint report (not a JSON object)'],
    ['null', () => null, 'not a footprint report (not a JSON object)'],
    ['no schema', (value) => { delete value.schema; }, 'not a footprint report (schema is missing)'],
    ['another schema', (value) => { value.schema = 'other/1'; }, 'not a footprint report (schema is not footprint.report/1)'],
    ['a newer version', (value) => { value.schema = 'footprint.report/2'; },
      'written as footprint.report/2, newer than this footprint reads (footprint.report/1); upgrade footprint'],
    ['version 0', (value) => { value.schema = 'footprint.report/0'; }, 'not a footprint report (schema is not footprint.report/1)'],
    ['a bad time', (value) => { value.time = 'yesterday'; }, 'report has no valid "time"'],
    ['an unknown grouping', (value) => { value.groupBy = 'colour'; }, 'report has no valid "groupBy"'],
    ['no host', (value) => { value.host = 3; }, 'report has no "host"'],
    ['no totals', (value) => { value.totals = []; }, 'report has no "totals"'],
    ['no groups', (value) => { value.groups = {}; }, 'report has no "groups" list'],
    ['a group that is not an object', (value) => { value.groups[1] = 'b'; }, 'groups[1]: not an object'],
    ['a nameless group', (value) => { delete value.groups[0].name; }, 'groups[0]: no "name"'],
    ['a fractional count', (value) => { value.groups[0].count = 1.5; }, 'groups[0]: "count" is not a whole number'],
    ['a negative size', (value) => { value.groups[1].writable = -1; }, 'groups[1]: "writable" is not a whole number of bytes'],
    ['a size as a string', (value) => { value.groups[0].swap = '0'; }, 'groups[0]: "swap" is not a whole number of bytes'],
    ['an unsafe integer', (value) => { value.groups[0].rss = 2 ** 53; }, 'groups[0]: "rss" is not a whole number of bytes'],
    ['a fractional shared', (value) => { value.groups[0].shared = 0.5; }, 'groups[0]: "shared" is not a whole number of bytes'],
  ])('%s', (_label, change, reason) => {
    expect(reasonFor(change)).toBe(reason);
  });

  test('shared may be negative (a difference that rounding can take below zero)', () => {
    expect(reasonFor((value) => { value.groups[0].shared = -4096; })).toBeUndefined();
  });
});

describe('decodeReport', () => {
  const text = JSON.stringify(good());
  test('gzip is recognised by its magic number, plain JSON too', () => {
    expect(decodeReport(gzipSync(text))).toEqual({ ok: true, report: good() });
    expect(decodeReport(Buffer.from(text))).toEqual({ ok: true, report: good() });
  });

  test('truncated gzip, and text that is not JSON, say so', () => {
    expect(decodeReport(gzipSync(text).subarray(0, 30))).toEqual({ ok: false, reason: 'corrupt or truncated gzip (unexpected end of file)' });
    expect(decodeReport(Buffer.from('{"schema":'))).toEqual({ ok: false, reason: 'not JSON (it ends too early)' });
  });

  test('a gzip trailer that lies about the size does not matter', () => {
    const data = Buffer.from(gzipSync(text));
    data.writeUInt32LE(3, data.length - 4);
    expect(decodeReport(data).ok).toBe(false);
    const larger = Buffer.concat([gzipSync(text.slice(0, 10)), gzipSync(text.slice(10))]);
    expect(decodeReport(larger)).toEqual({ ok: true, report: good() });
  });
});
