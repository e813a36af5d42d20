/**
 * The one atomic writer: a temporary file beside the target, created
 * exclusively, written whole, then put in place; on any failure no temporary
 * file is left. Real files, a real full tmpfs (root), a real /proc.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../../src/store/writeFileAtomically.js';
import { UnwritablePlace } from '../../src/store/writablePlace.js';
import { tempDir } from '../helpers/storeFixtures.js';

describe('writeFileAtomically', () => {
  test('replaces the file by rename, mode 0644 by default, no temporary file left', () => {
    const dir = tempDir();
    const path = join(dir, 'out.txt');
    writeFileSync(path, 'old');
    expect(writeFileAtomically(path, 'new text\n')).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe('new text\n');
    expect(statSync(path).mode & 0o777).toBe(0o644 & ~process.umask());
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  test('a temporary name and mode of the caller (the history index: DAY.idx.PID-R.tmp, 0600, not flushed)', () => {
    const dir = tempDir();
    const path = join(dir, '2026-11-24.idx');
    writeFileAtomically(path, Buffer.from([1, 2, 3]), { mode: 0o600, tempPath: `${path}.1-ab.tmp`, flush: false });
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['2026-11-24.idx']);
  });

  test('putInPlace (a hard link to a free name, as reports take): its path is returned, the temporary file removed', () => {
    const dir = tempDir();
    const seen: string[] = [];
    const final = writeFileAtomically(join(dir, 'first'), 'x', {
      putInPlace: (temp) => {
        seen.push(readdirSync(dir).join(','));
        execFileSync('ln', [temp, join(dir, 'second')]);
        return join(dir, 'second');
      },
    });
    expect(final).toBe(join(dir, 'second'));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(new RegExp(`^\\.first\\.${process.pid}-[0-9a-f]{1,8}\\.tmp$`));
    expect(readdirSync(dir)).toEqual(['second']);
  });

  test('a temporary file that cannot be created: the caller words it (step "create"); nothing made', () => {
    const dir = join(tempDir(), 'missing');
    expect(() => writeFileAtomically(join(dir, 'f'), 'x', { failed: (step, error) => new Error(`${step}: ${(error as NodeJS.ErrnoException).code}`) }))
      .toThrow('create: ENOENT');
  });

  test('under /proc: refused as a kernel file system, nothing tried', () => {
    expect(() => writeFileAtomically('/proc/footprint-test', 'x')).toThrow(UnwritablePlace);
    expect(() => writeFileAtomically('/proc/footprint-test', 'x')).toThrow('it is under /proc (proc, a kernel file system, not storage)');
  });

  const maybe = process.getuid?.() === 0 ? test : test.skip;
  maybe('a full disk (a 64k tmpfs): step "write", the temporary file removed, the old file untouched', () => {
    const mountPoint = tempDir('footprint-atomic-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
    try {
      const path = join(mountPoint, 'kept');
      writeFileSync(path, 'old');
      let caught: unknown;
      try {
        writeFileAtomically(path, Buffer.alloc(256 * 1024, 1), { failed: (step, error) => ({ step, code: (error as NodeJS.ErrnoException).code }) });
      } catch (error) {
        caught = error;
      }
      expect(caught).toEqual({ step: 'write', code: 'ENOSPC' });
      expect(readdirSync(mountPoint)).toEqual(['kept']);
      expect(readFileSync(path, 'utf8')).toBe('old');
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  });
});
