import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DOCUMENT_CAP_BYTES, readBoundedFile } from '../../src/store/readBoundedFile.js';
import { decodeJson } from '../../src/store/readReport.js';
import { tempDir } from '../helpers/storeFixtures.js';

describe('readBoundedFile', () => {
  const dir = tempDir('footprint-bounded-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a regular file up to the cap is read whole; one byte more is refused', () => {
    const path = join(dir, 'ten');
    writeFileSync(path, '0123456789');
    const read = readBoundedFile(path, 10);
    expect(read.ok && read.data.toString()).toBe('0123456789');
    expect(readBoundedFile(path, 9)).toMatchObject({ ok: false, reason: "larger than 9 bytes, footprint's cap for a report or run document" });
  });

  test('a file whose size says 0 (as in /proc) is read to its end, and refused past the cap', () => {
    const status = readBoundedFile('/proc/self/status', 64 * 1024);
    expect(status.ok && status.data.toString().startsWith('Name:')).toBe(true);
    expect(readBoundedFile('/proc/self/status', 16)).toMatchObject({ ok: false, reason: expect.stringMatching(/^larger than /) });
  });

  test('what is not a regular file is refused before any read: FIFO, character device, socket, directory', async () => {
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // With no writer, a blocking open of the FIFO would wait for ever: this returns.
    expect(readBoundedFile(fifo, DOCUMENT_CAP_BYTES)).toMatchObject({ ok: false, reason: 'not a regular file (a FIFO)' });
    expect(readBoundedFile('/dev/zero', DOCUMENT_CAP_BYTES)).toMatchObject({ ok: false, reason: 'not a regular file (a character device)' });
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(readBoundedFile(sub, DOCUMENT_CAP_BYTES)).toMatchObject({ ok: false, reason: 'not a regular file (a directory)' });
    const socket = join(dir, 'socket');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      // A socket cannot be opened at all (ENXIO): the reason says so.
      expect(readBoundedFile(socket, DOCUMENT_CAP_BYTES)).toMatchObject({ ok: false, code: 'ENXIO' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a file that is not there: its errno', () => {
    expect(readBoundedFile(join(dir, 'missing'), 10)).toEqual({ ok: false, reason: 'cannot read: no such file or directory (ENOENT)', code: 'ENOENT' });
  });
});

describe('decodeJson', () => {
  test('gzip that inflates past the cap stops there', () => {
    const zeros = gzipSync(Buffer.alloc(DOCUMENT_CAP_BYTES + 1, 0x20));
    expect(decodeJson(zeros)).toEqual({ ok: false, reason: "inflates to more than 8 MiB, footprint's cap for a report or run document" });
    // Exactly the cap is fine: JSON of spaces around a number.
    const atCap = Buffer.alloc(DOCUMENT_CAP_BYTES, 0x20);
    atCap.write('42', 0);
    expect(decodeJson(gzipSync(atCap))).toEqual({ ok: true, value: 42 });
  });

  test('JSON errors say where, never what', () => {
    expect(decodeJson(Buffer.from('root:x:0:0'))).toEqual({ ok: false, reason: 'not JSON' });
    expect(decodeJson(Buffer.from('{"a": secret}'))).toEqual({ ok: false, reason: 'not JSON' });
    expect(decodeJson(Buffer.from('{"a": 1} trailing'))).toEqual({ ok: false, reason: 'not JSON (at character 9)' });
    expect(decodeJson(Buffer.from('{"a": '))).toEqual({ ok: false, reason: 'not JSON (it ends too early)' });
  });
});
