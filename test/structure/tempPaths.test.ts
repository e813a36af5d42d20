/**
 * The tests' temporary paths (test/helpers/tempPaths.ts): a run lists what it
 * makes and its teardown removes exactly that, bounded to `footprint-*` names
 * directly in the folder it is given (os.tmpdir() in a run), never following a
 * link and never into a mount; and no test makes a folder in /tmp any other way.
 * Each case works in a real folder of its own, standing for /tmp.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { isRemovableTempPath, listedPaths, removeAbandonedRuns, removeTempPath, removeTestRun, startTestRun, tempDir, testRunDir } from '../helpers/tempPaths.js';
import { REPO } from '../helpers/snapshots.js';

/** A stand-in for /tmp, and a folder outside it whose files must survive every removal. */
function places(): { root: string; outside: string } {
  const root = tempDir('footprint-temppaths-root-');
  const outside = tempDir('footprint-temppaths-outside-');
  writeFileSync(join(outside, 'keep'), 'kept\n');
  return { root, outside };
}

const mounted: string[] = [];
afterEach(() => {
  for (const mountPoint of mounted.splice(0)) execFileSync('umount', [mountPoint]);
});

describe('removal of one listed path', () => {
  it('removes a folder and all below it, names of any bytes included, and leaves a link\'s target alone', () => {
    const { root, outside } = places();
    const made = join(root, 'footprint-made');
    mkdirSync(join(made, 'deep', 'deeper'), { recursive: true });
    writeFileSync(join(made, 'deep', 'deeper', 'file'), 'x');
    writeFileSync(Buffer.concat([Buffer.from(`${made}/`), Buffer.from([0x66, 0xff, 0x0a, 0x1b])]), 'not UTF-8, a newline, an escape');
    symlinkSync(outside, join(made, 'link-to-outside'));
    const left: string[] = [];
    removeTempPath(made, left, root);
    expect(left).toEqual([]);
    expect(existsSync(made)).toBe(false);
    expect(readFileSync(join(outside, 'keep'), 'utf8')).toBe('kept\n');
  });

  it('a listed link is removed itself, never followed', () => {
    const { root, outside } = places();
    const link = join(root, 'footprint-link');
    symlinkSync(outside, link);
    const left: string[] = [];
    removeTempPath(link, left, root);
    expect(left).toEqual([]);
    expect(existsSync(link)).toBe(false);
    expect(readdirSync(outside)).toEqual(['keep']);
  });

  it('refuses what is not a footprint-* name directly in the root, and says so; a missing path is no error', () => {
    const { root, outside } = places();
    mkdirSync(join(root, 'other'));
    mkdirSync(join(root, 'footprint-a', 'footprint-b'), { recursive: true });
    const refused = [join(root, 'other'), join(root, 'footprint-a', 'footprint-b'), `${root}/footprint-a/../other`, join(outside, 'keep'), root, join(root, 'footprint-')];
    const left: string[] = [];
    for (const path of refused) removeTempPath(path, left, root);
    removeTempPath(join(root, 'footprint-never-made'), left, root);
    expect(left).toEqual(refused.map((path) => `${JSON.stringify(path)}: not a footprint-* name directly in ${root}, not removed`));
    expect(readdirSync(root).sort()).toEqual(['footprint-a', 'other']);
    expect(readdirSync(join(root, 'footprint-a'))).toEqual(['footprint-b']);
    expect(isRemovableTempPath(join(root, 'footprint-a'), root)).toBe(true);
  });

  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot('never walks into a mount a test left: the mount and its files stay, and it is said', () => {
    const { root } = places();
    const made = join(root, 'footprint-with-mount');
    const mountPoint = join(made, 'mounted');
    mkdirSync(mountPoint, { recursive: true });
    writeFileSync(join(made, 'beside'), 'x');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]);
    mounted.push(mountPoint);
    writeFileSync(join(mountPoint, 'on-the-mount'), 'kept\n');
    const left: string[] = [];
    removeTempPath(made, left, root);
    expect(left).toEqual([`${mountPoint}: another file system is mounted there`, `${made}: ENOTEMPTY: directory not empty, rmdir '${made}'`]);
    expect(readFileSync(join(mountPoint, 'on-the-mount'), 'utf8')).toBe('kept\n');
    expect(existsSync(join(made, 'beside'))).toBe(false);
  });
});

describe('a run', () => {
  it('lists each path once and its teardown removes them, then the run\'s folder; nothing outside the root is touched', () => {
    const { root, outside } = places();
    const runDir = startTestRun(root);
    expect(readdirSync(runDir).sort()).toEqual(['owner', 'paths']);
    const made = [join(root, 'footprint-one'), join(root, 'footprint-two')];
    for (const path of made) mkdirSync(path);
    writeFileSync(join(runDir, 'paths'), [...made, made[0], outside, ''].join('\n'), { flag: 'a' });
    mkdirSync(join(runDir, 'footprint-live-memhog-0123456789ab'));
    expect(listedPaths(runDir)).toEqual([...made, outside]);
    expect(removeTestRun(runDir, root)).toEqual([`${JSON.stringify(outside)}: not a footprint-* name directly in ${root}, not removed`]);
    expect(readdirSync(root)).toEqual([]);
    expect(readdirSync(outside)).toEqual(['keep']);
  });

  it('a run killed before its teardown is removed by the next setup once its owner is gone; a live run and one just starting are left', () => {
    const { root } = places();
    const live = startTestRun(root);
    const dead = startTestRun(root);
    // This very PID, started at another time: a process that is gone, its PID since reused.
    writeFileSync(join(dead, 'owner'), `${process.pid} 1\n`);
    const deadMade = join(root, 'footprint-left-by-the-dead');
    mkdirSync(deadMade);
    writeFileSync(join(dead, 'paths'), `${deadMade}\n`);
    const starting = join(root, 'footprint-testrun-starting');
    mkdirSync(starting);
    expect(removeAbandonedRuns(root)).toEqual([]);
    expect(readdirSync(root).sort()).toEqual([basename(live), 'footprint-testrun-starting'].sort());
    expect(removeTestRun(live, root)).toEqual([]);
    rmSync(starting, { recursive: true });
  });

  it('this run has its folder, and tempDir lists each folder it makes there', () => {
    const runDir = testRunDir();
    expect(runDir).toBeDefined();
    const dir = tempDir('footprint-temppaths-listed-');
    expect(listedPaths(runDir!)).toContain(dir);
    expect(() => tempDir('elsewhere-')).toThrow('tempDir: the prefix must start with footprint- and hold no / or newline: "elsewhere-"');
    expect(() => tempDir('footprint-a/b-')).toThrow('tempDir: the prefix must start with footprint-');
  });
});

describe('a whole Jest run', () => {
  // Jest's start and the transform of two small files: seconds, a minute on a busy machine; far below this.
  jest.setTimeout(300_000);

  it('removes what its tests made, one failing and one timed out, each in a worker of its own', () => {
    const report = join(tempDir('footprint-temppaths-report-'), 'made');
    writeFileSync(report, '');
    const env: NodeJS.ProcessEnv = { ...process.env, FOOTPRINT_TEMPPATHS_REPORT: report };
    delete env.FOOTPRINT_TEST_RUN;
    const jestRun = spawnSync(process.execPath, [
      '--experimental-vm-modules', join(REPO, 'node_modules', 'jest', 'bin', 'jest.js'), '--rootDir', REPO, '--ci', '--maxWorkers', '2',
      '--testMatch', '<rootDir>/test/fixtures/tempPaths/*.fixture.ts',
    ], { cwd: REPO, env, encoding: 'utf8', timeout: 280_000 });
    expect(jestRun.stderr).toMatch(/Tests: +2 failed, 2 total/);
    expect(jestRun.stderr).toContain('Exceeded timeout of 2000 ms for a test');
    expect(jestRun.status).toBe(1);
    const made = readFileSync(report, 'utf8').trim().split('\n').map((line) => line.split(' '));
    expect(made.map(([, dir]) => basename(dir).replace(/-\w{6}$/, '')).sort()).toEqual(['footprint-fixture-fails', 'footprint-fixture-times-out']);
    // Made in workers (not Jest's own process), which found the run's list through the environment they inherited.
    for (const [pid, dir] of made) {
      expect(Number(pid)).not.toBe(jestRun.pid);
      expect(existsSync(dir)).toBe(false);
    }
    expect(jestRun.stderr).not.toContain('footprint tests: temporary paths left');
  });
});

describe('the house', () => {
  it('no test makes a folder in /tmp but through tempDir (test/helpers/tempPaths.ts)', () => {
    const testDir = join(REPO, 'test');
    const others = readdirSync(testDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.(ts|mts)$/.test(file) && file !== join('helpers', 'tempPaths.ts') && file !== join('structure', 'tempPaths.test.ts'))
      .filter((file) => /mkdtemp(Sync)?\(\s*join\(\s*tmpdir\(\)|\btmpdir\(\)/.test(readFileSync(join(testDir, file), 'utf8')));
    // liveProcesses.ts: outside a Jest run only, fixture binaries compile into a folder of /tmp kept for the next.
    expect(others).toEqual([join('helpers', 'liveProcesses.ts')]);
  });
});
