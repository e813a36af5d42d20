import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkReport } from '../../src/store/validateReport.js';
import { BIN, ago, group, nameFor, report, runCli, runCliAsync, tempDir, writeReport } from '../helpers/storeFixtures.js';

const NAME = /^\d{4}-\d{2}-\d{2}T\d{6}Z(_\d+)?\.json\.gz$/;
const TEMP_NAME = /^\.footprint-\d+-[0-9a-f]+\.tmp$/;

/** A `save` as a child process; `ended` is listened for from the start, so an early exit is not missed. */
function startSave(dir: string): { child: ChildProcess; ended: Promise<NodeJS.Signals | null> } {
  const child = spawn(process.execPath, [BIN, 'save', '--dir', dir], { stdio: 'ignore' });
  const ended = new Promise<NodeJS.Signals | null>((done) => child.once('close', (_code, signal) => done(signal)));
  return { child, ended };
}

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
    expect(readdirSync(dir).sort()).toEqual(['.footprint-index', ...files]);
    expect(readdirSync(join(dir, '.footprint-index'))).toEqual([`${saved.time.slice(0, 10)}.idx`]);
  });

  test("keeps the history index current: history then uses the day's segment as save left it", () => {
    const dir = tempDir();
    writeReport(dir, report(ago(0, 0), [group('a', 4096)]));
    for (let run = 0; run < 2; run++) expect(runCli(['save', '--dir', dir])).toEqual({ status: 0, stdout: '', stderr: '' });
    const day = reportFiles(dir).at(-1)!.slice(0, 10);
    const segment = join(dir, '.footprint-index', `${day}.idx`);
    const before = statSync(segment);
    const history = runCli(['history', '--dir', dir, '--since', '2d', '--json']);
    expect(history.status).toBe(0);
    expect(JSON.parse(history.stdout).reports).toBe(reportFiles(dir).length);
    // Not rewritten: history rewrites a segment only when it is stale, through a new file renamed over it.
    expect([statSync(segment).ino, statSync(segment).mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  test('an index that cannot be written does not stop save, nor make it say anything', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.footprint-index'), 'in the way');
    expect(runCli(['save', '--dir', dir])).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(reportFiles(dir)).toHaveLength(1);
    expect(readFileSync(join(dir, '.footprint-index'), 'utf8')).toBe('in the way');
    expect(JSON.parse(runCli(['history', '--dir', dir, '--json']).stdout).reports).toBe(1);
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
    // Each run updated the index as it saw the directory; whichever wrote last, history counts all four.
    expect(JSON.parse(runCli(['history', '--dir', dir, '--json']).stdout).reports).toBe(4);
  });

  test('--keep removes only footprint reports older than the limit, after writing', () => {
    const dir = tempDir();
    const old = writeReport(dir, report(ago(40), [group('a', 4096)]));
    const recent = writeReport(dir, report(ago(10), [group('a', 4096)]));
    const oldJson = writeReport(dir, report(ago(31), [group('a', 4096)]), false);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    writeFileSync(join(dir, '2020-01-01T000000Z.json.gz.bak'), 'not a report name');
    mkdirSync(join(dir, '2020-01-02T000000Z.json.gz'));
    expect(runCli(['history', '--dir', dir, '--since', '60d']).status).toBe(0);
    const segmentOf = (path: string) => `${path.split('/').pop()!.slice(0, 10)}.idx`;
    expect(readdirSync(join(dir, '.footprint-index')).sort()).toEqual([old, oldJson, recent].map(segmentOf).sort());
    const result = runCli(['save', '--dir', dir, '--keep', '30d', '-v']);
    expect(result.status).toBe(0);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(oldJson)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('removed ')).sort())
      .toEqual([`removed ${old}`, `removed ${oldJson}`].sort());
    const left = readdirSync(dir).sort();
    expect(left).toHaveLength(6);
    expect(left.filter((name) => !(statSync(join(dir, name)).isFile() && NAME.test(name))))
      .toEqual(['.footprint-index', '2020-01-01T000000Z.json.gz.bak', '2020-01-02T000000Z.json.gz', 'notes.txt']);
    const reports = left.filter((name) => statSync(join(dir, name)).isFile() && NAME.test(name));
    expect(reports).toHaveLength(2);
    // The pruned days' segments went with their reports; the new report's day has one.
    expect(readdirSync(join(dir, '.footprint-index')).sort()).toEqual([...new Set(reports.map(segmentOf))].sort());
  });

  test('a --keep longer than any date can reach keeps everything', () => {
    const dir = tempDir();
    const old = writeReport(dir, report(ago(4000), [group('a', 4096)]));
    for (const keep of ['999999999d', '99999999999w']) {
      expect(runCli(['save', '--dir', dir, '--keep', keep])).toEqual({ status: 0, stdout: '', stderr: '' });
    }
    expect(existsSync(old)).toBe(true);
    expect(readdirSync(dir).filter((name) => NAME.test(name))).toHaveLength(3);
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
      // Found before the scan, by access(2): the real cause, and no work done.
      expect(result.stderr).toBe(`footprint: cannot save into ${mountPoint}: read-only file system (EROFS)\n`);
      expect(readdirSync(mountPoint)).toEqual([earlier.split('/').pop()]);
    });
  });

  // Thirteen saves and ten kills, about nine whole saves' time: each save takes seconds on a loaded machine.
  test('killed at any moment: no partial report, earlier ones intact, leftovers cleaned by the next save', async () => {
    const dir = tempDir();
    const earlier = writeReport(dir, report(ago(1), [group('a', 4096)]));
    const before = readFileSync(earlier);
    // Kill points spread over a whole save as this machine runs it, so they fall inside
    // its work however fast or loaded the machine is; the quickest of three sets the scale.
    const scratch = tempDir();
    const wholeMs = Math.min(...[1, 2, 3].map(() => {
      const started = performance.now();
      expect(runCli(['save', '--dir', scratch]).status).toBe(0);
      return performance.now() - started;
    }));
    const endings: (NodeJS.Signals | null)[] = [];
    const checkDirectory = () => {
      for (const name of reportFiles(dir)) expect(readSaved(join(dir, name)).schema).toBe('footprint.report/1');
      expect(readFileSync(earlier).equals(before)).toBe(true);
      expect(readdirSync(dir).filter((name) => !NAME.test(name) && !TEMP_NAME.test(name) && name !== '.footprint-index'))
        .toEqual([]);
    };
    for (const fraction of [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
      const save = startSave(dir);
      await new Promise((done) => setTimeout(done, fraction * wholeMs));
      save.child.kill('SIGKILL');
      endings.push(await save.ended);
      checkDirectory();
    }
    // And at the moment it creates its temporary file, seen through inotify.
    const watcher = watch(dir);
    try {
      const save = startSave(dir);
      watcher.on('change', (_event, name) => {
        if (TEMP_NAME.test(String(name))) save.child.kill('SIGKILL');
      });
      endings.push(await save.ended);
    } finally {
      watcher.close();
    }
    checkDirectory();
    // Most kills must have landed in a running save, or the test proved nothing.
    expect(endings.filter((signal) => signal === 'SIGKILL').length).toBeGreaterThanOrEqual(endings.length / 2);
    expect(runCli(['save', '--dir', dir]).status).toBe(0);
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual(['.footprint-index']);
  }, 600_000);
});
