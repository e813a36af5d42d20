import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readKeyedFile } from '../../src/store/readKeyedFile.js';
import { tempDir } from '../helpers/storeFixtures.js';

describe('readKeyedFile', () => {
  test('the bytes and the key of the version read, into a buffer grown as needed', () => {
    const dir = tempDir();
    const big = Buffer.alloc(100_000, 7);
    writeFileSync(join(dir, 'small'), 'hello');
    writeFileSync(join(dir, 'big'), big);
    const buffer = { bytes: Buffer.alloc(8) };
    const small = readKeyedFile(dir, 'small', buffer);
    const stats = statSync(join(dir, 'small'));
    expect(small.status).toBe('read');
    expect(small.status === 'read' && [small.data.toString(), small.key]).toEqual([
      'hello', { name: 'small', size: 5, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino },
    ]);
    const read = readKeyedFile(dir, 'big', buffer);
    expect(read.status === 'read' && read.data.equals(big)).toBe(true);
    expect(buffer.bytes.length).toBeGreaterThanOrEqual(100_000);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const none = readKeyedFile(dir, 'empty', buffer);
    expect(none.status === 'read' && none.data.length).toBe(0);
  });

  test('a file that is gone, and one that cannot be read (a directory)', () => {
    const dir = tempDir();
    expect(readKeyedFile(dir, 'missing', { bytes: Buffer.alloc(8) })).toEqual({ status: 'gone' });
    mkdirSync(join(dir, 'sub'));
    const stats = statSync(join(dir, 'sub'));
    expect(readKeyedFile(dir, 'sub', { bytes: Buffer.alloc(8) })).toEqual({
      status: 'unreadable', key: { name: 'sub', size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino },
      reason: 'not a regular file (a directory)',
    });
  });
});
