import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkReport } from '../../src/store/validateReport.js';
import { BIN, ago, group, nameFor, report, runCli, runCliAsync, tempDir, writeReport } from '../helpers/storeFixtures.js';

const NAME = /^\d{4}-\d{2}-\d{2}T\d{6}Z(_\d+)?\.json\.gz$/;

function reportFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => NAME.test(name)).sort();
}

function readSaved(path: string) {
  const check = checkReport(JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')));
  if (!check.ok) throw new Error(`${path}: ${check.reason}`);
  return check.report;
}

describe('footprint save', () => {
  test('creates the directory 0700 and writes one gzip report, silently', () => {
    const dir = join(tempDir(), 'state', 'footprint');
    const result = runCli(['save', '--dir', dir]);
    expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = reportFiles(dir);
    expect(files).toHaveLength(1);
    const saved = readSaved(join(dir, files[0]));
    expect(saved.schema).toBe('footprint.report/1');
    expect(saved.groupBy).toBe('program');
    expect(files[0]).toBe(nameFor(saved.time));
    expect(readdirSync(dir)).toEqual(files);
  });

  test('finds its directory from $FOOTPRINT_DIR, then $XDG_STATE_HOME, then $HOME', () => {
    const root = tempDir();
    expect(runCli(['save'], { FOOTPRINT_DIR: join(root, 'a') }).status).toBe(0);
    expect(runCli(['save'], { XDG_STATE_HOME: join(root, 'xdg') }).status).toBe(0);
    expect(runCli(['save'], { HOME: join(root, 'home') }).status).toBe(0);
    expect(reportFiles(join(root, 'a'))).toHaveLength(1);
    expect(reportFiles(join(root, 'xdg', 'footprint'))).toHaveLength(1);
    expect(reportFiles(join(root, 'home', '.local', 'state', 'footprint'))).toHaveLength(1);
  });

  test('--verbose prints the path; --group and --pid reach the saved report', () => {
    const dir = tempDir();
    const result = runCli(['save', '--dir', dir, '--verbose', '--group', 'user', '--pid', String(process.pid)]);
    expect(result.status).toBe(0);
    const files = reportFiles(dir);
    expect(result.stdout).toBe(`${join(dir, files[0])}\n`);
    const saved = readSaved(join(dir, files[0]));
    expect(saved.groupBy).toBe('user');
    expect(saved.groups.flatMap((each) => each.pids)).toEqual([process.pid]);
  });

  test('two runs at once both succeed and keep both reports', async () => {
    const dir = tempDir();
    const runs = await Promise.all([1, 2, 3, 4].map(() => runCliAsync(['save', '--dir', dir, '-v'])));
    expect(runs.map((run) => [run.status, run.stderr])).toEqual([[0, ''], [0, ''], [0, ''], [0, '']]);
    const printed = runs.map((run) => run.stdout.trim()).sort();
    expect(new Set(printed).size).toBe(4);
    expect(reportFiles(dir).map((name) => join(dir, name)).sort()).toEqual(printed);
    for (const path of printed) expect(readSaved(path).schema).toBe('footprint.report/1');
  });

  test('--keep removes only footprint reports older than the limit, after writing', () => {
    const dir = tempDir();
    const old = writeReport(dir, report(ago(40), [group('a', 4096)]));
    const recent = writeReport(dir, report(ago(10), [group('a', 4096)]));
    const oldJson = writeReport(dir, report(ago(31), [group('a', 4096)]), false);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeFileSync(join(dir, '2020-01-01T000000Z.json.gz.bak'), 'not a report name');
    mkdirSync(join(dir, '2020-01-02T000000Z.json.gz'));
    const result = runCli(['save', '--dir', dir, '--keep', '30d', '-v']);
    expect(result.status).toBe(0);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(oldJson)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('removed ')).sort())
      .toEqual([`removed ${old}`, `removed ${oldJson}`].sort());
    const left = readdirSync(dir).sort();
    expect(left).toHaveLength(5);
    expect(left.filter((name) => !(statSync(join(dir, name)).isFile() && NAME.test(name))))
      .toEqual(['2020-01-01T000000Z.json.gz.bak', '2020-01-02T000000Z.json.gz', 'notes.txt']);
    expect(left.filter((name) => statSync(join(dir, name)).isFile() && NAME.test(name))).toHaveLength(2);
  });

  test('bad --keep is a usage error and writes nothing', () => {
    const dir = tempDir();
    const result = runCli(['save', '--dir', dir, '--keep', '30 days']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('footprint: --keep: "30 days" is not a duration (examples: 12h, 30d, 8w)\n');
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a directory that cannot be created: exit 1, one line', () => {
    const root = tempDir();
    writeFileSync(join(root, 'file'), '');
    const result = runCli(['save', '--dir', join(root, 'file', 'reports')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`footprint: cannot create report directory ${join(root, 'file', 'reports')}: not a directory (ENOTDIR)\n`);
  });

  describe('on a small tmpfs (root only)', () => {
    const isRoot = process.getuid?.() === 0;
    const maybe = isRoot ? test : test.skip;
    let mountPoint = '';
    afterEach(() => {
      if (mountPoint) execFileSync('umount', [mountPoint]);
      mountPoint = '';
    });

    maybe('a full disk leaves no partial file and the earlier report untouched', () => {
      mountPoint = tempDir('footprint-full-');
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
      const earlier = writeReport(mountPoint, report(ago(1), [group('a', 4096)]));
      const before = readFileSync(earlier);
      // Fill what is left.
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${join(mountPoint, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
      } catch {
        // dd stops with ENOSPC, as intended.
      }
      const result = runCli(['save', '--dir', mountPoint]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^footprint: report not saved: cannot write ${mountPoint}/\\.footprint-\\d+-[0-9a-f]+\\.tmp: no space left on device \\(ENOSPC\\)\\n$`));
      expect(readdirSync(mountPoint).sort()).toEqual([earlier.split('/').pop(), 'filler'].sort());
      expect(readFileSync(earlier).equals(before)).toBe(true);
    });

    maybe('a read-only directory: exit 1 naming it, nothing changed', () => {
      mountPoint = tempDir('footprint-ro-');
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
      const earlier = writeReport(mountPoint, report(ago(1), [group('a', 4096)]));
      execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
      const result = runCli(['save', '--dir', mountPoint, '--keep', '1h']);
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`footprint: report not saved: cannot create a file in ${mountPoint}: read-only file system (EROFS)\n`);
      expect(readdirSync(mountPoint)).toEqual([earlier.split('/').pop()]);
    });
  });

  test('killed at any moment: no partial report, earlier ones intact, leftovers cleaned by the next save', async () => {
    const dir = tempDir();
    const earlier = writeReport(dir, report(ago(1), [group('a', 4096)]));
    const before = readFileSync(earlier);
    for (const delayMs of [0, 20, 40, 60, 80, 100, 130, 160]) {
      const child = spawn(process.execPath, [BIN, 'save', '--dir', dir], { stdio: 'ignore' });
      await new Promise((done) => setTimeout(done, delayMs));
      child.kill('SIGKILL');
      await new Promise((done) => child.on('close', done));
      for (const name of reportFiles(dir)) expect(readSaved(join(dir, name)).schema).toBe('footprint.report/1');
      expect(readFileSync(earlier).equals(before)).toBe(true);
      expect(readdirSync(dir).filter((name) => !NAME.test(name) && !/^\.footprint-\d+-[0-9a-f]+\.tmp$/.test(name))).toEqual([]);
    }
    expect(runCli(['save', '--dir', dir]).status).toBe(0);
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
