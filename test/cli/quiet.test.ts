/**
 * -q, --quiet of the commands that write a file: at a terminal they say on
 * stderr what they wrote ("footprint: wrote PATH"), off one they say nothing,
 * and -q silences the line at a terminal too. The terminal is a real one:
 * util-linux's `script` runs footprint on a pseudo-terminal, whose output
 * (stdout and stderr alike) is script's stdout, with \r\n line ends.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, REPO, procRoot, runCli } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/storeFixtures.js';

const TREE = procRoot('node-many-mappings');

/** footprint ARGS on a terminal (cwd: the repository); what the terminal showed, with \n line ends. */
function inTerminal(args: string[]): { status: number | null; shown: string } {
  const quoted = [process.execPath, BIN, ...args].map((word) => `'${word.replace(/'/g, "'\\''")}'`).join(' ');
  const result = spawnSync('script', ['-qec', quoted, '/dev/null'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { status: result.status, shown: result.stdout.replace(/\r\n/g, '\n') };
}

/** Each writing command, the file it writes into DIR, and the line it says at a terminal. */
const WRITERS: [string, (dir: string) => string[], (dir: string) => string, (path: string) => string][] = [
  ['export --textfile', (dir) => ['export', '--proc-root', TREE, '--textfile', join(dir, 'footprint.prom')], (dir) => join(dir, 'footprint.prom'), (path) => `footprint: wrote ${path}\n`],
  ['run --json', (dir) => ['run', '--no-cgroup', '--json', join(dir, 'run.json'), '--', 'true'], (dir) => join(dir, 'run.json'), (path) => `footprint: wrote ${path}\n`],
  ['run --html', (dir) => ['run', '--no-cgroup', '--html', join(dir, 'run.html'), '--', 'true'], (dir) => join(dir, 'run.html'), (path) => `footprint: wrote ${path}\n`],
];

describe('-q, --quiet: no "footprint: wrote PATH" line', () => {
  it.each(WRITERS)('%s: at a terminal the line names the file; with -q and --quiet there is none, and the file is written', (_name, argsFor, fileIn, line) => {
    for (const quiet of [[], ['-q'], ['--quiet']]) {
      const dir = tempDir('footprint-quiet-');
      const [command, ...rest] = argsFor(dir);
      const result = inTerminal([command, ...quiet, ...rest]);
      expect(result.status).toBe(0);
      expect(existsSync(fileIn(dir))).toBe(true);
      if (quiet.length === 0) expect(result.shown).toContain(line(fileIn(dir)));
      else expect(result.shown).not.toContain('footprint: wrote');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('save: "footprint: saved PATH" at a terminal, nothing with -q; off a terminal nothing either way', () => {
    const dir = tempDir('footprint-quiet-');
    const loud = inTerminal(['save', '--proc-root', TREE, '--dir', dir]);
    expect(loud.status).toBe(0);
    const [first] = readdirSync(dir).filter((name) => name.endsWith('.json.gz'));
    expect(loud.shown).toBe(`footprint: saved ${join(dir, first)}\n`);
    const quiet = inTerminal(['save', '-q', '--proc-root', TREE, '--dir', dir]);
    expect(quiet).toEqual({ status: 0, shown: '' });
    expect(runCli(['save', '--quiet', '--proc-root', TREE, '--dir', dir])).toEqual({ status: 0, stdout: '', stderr: '' });
    // Three reports written (a second apart or with a _N suffix), whatever was said.
    expect(readdirSync(dir).filter((name) => name.endsWith('.json.gz'))).toHaveLength(3);
    rmSync(dir, { recursive: true, force: true });
  });

  it('save -v still prints the path on stdout; -q with -v is a usage error, and nothing is saved', () => {
    const dir = tempDir('footprint-quiet-');
    const verbose = runCli(['save', '-v', '--proc-root', TREE, '--dir', dir]);
    const [saved] = readdirSync(dir).filter((name) => name.endsWith('.json.gz'));
    expect(verbose).toEqual({ status: 0, stdout: `${join(dir, saved)}\n`, stderr: '' });
    for (const both of [['-q', '-v'], ['--verbose', '--quiet']]) {
      expect(runCli(['save', ...both, '--proc-root', TREE, '--dir', dir])).toEqual({ status: 2, stdout: '', stderr: 'footprint: --quiet and --verbose cannot be used together\n' });
    }
    expect(readdirSync(dir).filter((name) => name.endsWith('.json.gz'))).toEqual([saved]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('history --html: the page is written, and -q leaves out the line at a terminal', () => {
    const dir = tempDir('footprint-quiet-');
    expect(runCli(['save', '--proc-root', TREE, '--dir', dir]).status).toBe(0);
    const page = join(dir, 'history.html');
    const loud = inTerminal(['history', '--dir', dir, '--html', page]);
    expect(loud.status).toBe(0);
    expect(loud.shown).toContain(`footprint: wrote ${page}\n`);
    rmSync(page);
    const quiet = inTerminal(['history', '-q', '--dir', dir, '--html', page]);
    expect(quiet.status).toBe(0);
    expect(quiet.shown).not.toContain('footprint: wrote');
    expect(readFileSync(page, 'utf8')).toContain('<html');
    rmSync(dir, { recursive: true, force: true });
  });

  it('capture -q: the tree is written and its line ("Captured N processes into DIR/proc ...") is left out', () => {
    const dir = tempDir('footprint-quiet-');
    const loud = runCli(['capture', join(dir, 'a'), '--proc-root', TREE]);
    expect(loud).toEqual({ status: 0, stderr: '', stdout: `Captured 2 processes into ${join(dir, 'a')}/proc (0 not readable, 0 kernel threads); read it with --proc-root ${join(dir, 'a')}/proc\nNo cgroup files captured (${TREE} was captured without its cgroup files (no ${join(TREE, '..', 'cgroup')})): offline, cgroup charges, limits and members will be unknown.\n` });
    const quiet = runCli(['capture', '-q', join(dir, 'b'), '--proc-root', TREE]);
    expect(quiet).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readdirSync(join(dir, 'b', 'proc')).sort()).toEqual(readdirSync(join(dir, 'a', 'proc')).sort());
    rmSync(dir, { recursive: true, force: true });
  });

  it('run -q -- CMD is read by the run bundle, without yargs', () => {
    const dir = tempDir('footprint-quiet-');
    const result = runCli(['run', '-q', '--no-cgroup', '--json', join(dir, 'run.json'), '--', 'true'], { env: { ...process.env, NO_COLOR: '1', FOOTPRINT_DEBUG_STARTUP: '1' } });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('footprint: arguments read by the run bundle\n');
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).schema).toBe('footprint.run/1');
    rmSync(dir, { recursive: true, force: true });
  });
});
