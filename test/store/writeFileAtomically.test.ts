/**
 * The one atomic writer: a temporary file beside the target, created
 * exclusively, written whole, then put in place; on any failure no temporary
 * file is left. A link at the name is replaced, never written through; a FIFO
 * or device there is refused without being opened. Real files, a real full tmpfs (root), a real /proc.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically, writeOwnFile } from '../../src/store/writeFileAtomically.js';
import { UnwritablePlace } from '../../src/store/writablePlace.js';
import { tempDir } from '../helpers/storeFixtures.js';
import { FOOTPRINT_BIN } from '../helpers/runFootprint.js';

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

  test('a FIFO at the name is refused before anything is opened (UnwritablePlace), and left as it is', () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // No reader: an open for writing would block for ever, so a regression hangs here rather than passes.
    expect(() => writeFileAtomically(fifo, 'never\n')).toThrow(UnwritablePlace);
    expect(() => writeFileAtomically(fifo, 'never\n')).toThrow('it is a FIFO, not a regular file');
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  test('a link at the name (to a file, or to nothing) is replaced by the new file, never written through; a link to a FIFO is refused', () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const target = join(dir, 'target');
    writeFileSync(target, 'kept');
    symlinkSync(fifo, join(dir, 'to-fifo'));
    symlinkSync(target, join(dir, 'to-file'));
    symlinkSync(join(dir, 'missing'), join(dir, 'dangling'));
    expect(() => writeFileAtomically(join(dir, 'to-fifo'), 'never')).toThrow('it is a link to a FIFO, not a regular file');
    expect(lstatSync(join(dir, 'to-fifo')).isSymbolicLink()).toBe(true);
    for (const name of ['to-file', 'dangling']) {
      writeFileAtomically(join(dir, name), `${name}\n`);
      expect(lstatSync(join(dir, name)).isFile()).toBe(true);
      expect(readFileSync(join(dir, name), 'utf8')).toBe(`${name}\n`);
    }
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('kept');
    expect(readdirSync(dir).sort()).toEqual(['dangling', 'pipe', 'target', 'to-fifo', 'to-file']);
  });

  test('under /dev (not /dev/shm): refused, so /dev/stdout, a link of the system\'s, is never replaced by a file', () => {
    expect(() => writeFileAtomically('/dev/stdout', 'x')).toThrow('it is under /dev (device nodes, not storage)');
    expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
    expect(() => writeFileAtomically('/dev/footprint-test/x', 'x')).toThrow('it is under /dev (device nodes, not storage)');
  });

  test('a temporary name already taken (a link planted there) is not opened through: another name is tried', () => {
    const dir = tempDir();
    const target = join(dir, 'target');
    writeFileSync(target, 'kept');
    // The caller's own temporary name, taken by a link: O_EXCL|O_NOFOLLOW fails (EEXIST), the target untouched.
    symlinkSync(target, join(dir, 'taken.tmp'));
    expect(() => writeFileAtomically(join(dir, 'out'), 'x', { tempPath: join(dir, 'taken.tmp') })).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(target, 'utf8')).toBe('kept');
  });

  test('writeOwnFile: a link at the name fails (ELOOP), a FIFO fails without blocking; a file is written', () => {
    const dir = tempDir();
    const target = join(dir, 'target');
    writeFileSync(target, 'kept');
    symlinkSync(target, join(dir, 'link'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(() => writeOwnFile(join(dir, 'link'), 'x')).toThrow(expect.objectContaining({ code: 'ELOOP' }));
    // O_NONBLOCK: with no reader the open of a FIFO for writing fails (ENXIO) at once rather than waits.
    expect(() => writeOwnFile(join(dir, 'pipe'), 'x')).toThrow(expect.objectContaining({ code: 'ENXIO' }));
    writeOwnFile(join(dir, 'plain'), 'text');
    expect(readFileSync(join(dir, 'plain'), 'utf8')).toBe('text');
    expect(readFileSync(target, 'utf8')).toBe('kept');
  });

  test('replaceStreams (the history index, in its own directory): a FIFO at the name is replaced by the file', () => {
    const dir = tempDir();
    const path = join(dir, '2026-11-24.idx');
    execFileSync('mkfifo', [path]);
    writeFileAtomically(path, 'segment', { replaceStreams: true, tempPath: `${path}.1-ab.tmp` });
    expect(statSync(path).isFile()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('segment');
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
      rmSync(mountPoint, { recursive: true });
    }
  });

  maybe('a character device (a null device made in a temporary directory, as /dev/null): refused, still the device', () => {
    const dir = tempDir();
    const device = join(dir, 'null');
    execFileSync('mknod', ['-m', '666', device, 'c', '1', '3']);
    expect(() => writeFileAtomically(device, 'gone')).toThrow('it is a character device, not a regular file');
    expect(statSync(device).isCharacterDevice()).toBe(true);
    // Through the CLI too: run --json at the device is refused before CMD runs, the device left.
    const run = spawnSync(process.execPath, [FOOTPRINT_BIN, 'run', '--json', device, '--', 'true'], { encoding: 'utf8', timeout: 60_000 });
    expect([run.status, run.stderr]).toEqual([1, `footprint: cannot write ${device}: it is a character device, not a regular file (footprint writes a new file in its place only over a file or a link to one)\n`]);
    expect(statSync(device).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null']);
    rmSync(dir, { recursive: true });
  });
});
