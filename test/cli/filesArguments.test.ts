/**
 * `footprint files` runs from its own bundle (dist/files.cjs) when its options
 * are plain (src/cli/filesArguments.ts), and everything that reader doubts goes
 * to yargs. Both must print exactly what yargs' path prints for the same
 * arguments: a trailing `--` hands them to yargs, which reads them alike.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { BIN, runCli } from '../helpers/snapshots.js';
import { readFilesArguments } from '../../src/cli/filesArguments.js';

const SNAPSHOT = 'snapshots/hostile-names/proc';
const DEBUG = { ...process.env, NO_COLOR: '1', FOOTPRINT_DEBUG_STARTUP: '1' };

/** A run's outputs and which reader read its arguments; the debug lines taken off stderr. */
function run(args: string[]) {
  const result = runCli(['files', ...args], { env: DEBUG });
  const readBy = /arguments read by (.*)\n/.exec(result.stderr)?.[1];
  return { readBy, status: result.status, stdout: result.stdout, stderr: result.stderr.replace(/^footprint: (code cache|arguments read by) .*\n/gm, '') };
}

describe('files from its bundle prints what yargs\' path prints', () => {
  it.each([
    [[]], [['--json']], [['--csv', '--mappings']], [['--by', 'program', '-n', '5']], [['--top=3', '--units', 'KiB']],
    [['-p', '11300,11302', '--json']], [['-u', 'root', '--wide']], [['--match', 'libc', '--by', 'program']],
  ])('%j', (args) => {
    const fast = run(['--proc-root', SNAPSHOT, ...args]);
    const byYargs = run(['--proc-root', SNAPSHOT, ...args, '--']);
    expect(fast.readBy).toBe('the files bundle');
    expect(byYargs.readBy).toBe('yargs');
    expect(fast.status).toBe(0);
    expect({ status: fast.status, stdout: fast.stdout, stderr: fast.stderr }).toEqual({ status: byYargs.status, stdout: byYargs.stdout, stderr: byYargs.stderr });
  });

  it.each([
    [['--match', 'zzzz']], [['-p', '999999']], [['--json', '--csv']], [['-u', 'nosuchuser']],
  ])('%j: the same failure, one line and the same exit code, from either', (args) => {
    const fast = run(['--proc-root', SNAPSHOT, ...args]);
    const byYargs = run(['--proc-root', SNAPSHOT, ...args, '--']);
    expect(fast.readBy).toBe('the files bundle');
    expect([1, 2]).toContain(fast.status);
    expect(fast.stderr.split('\n')).toHaveLength(2);
    expect({ status: fast.status, stdout: fast.stdout, stderr: fast.stderr }).toEqual({ status: byYargs.status, stdout: byYargs.stdout, stderr: byYargs.stderr });
  });

  it.each([
    [['--help']], [['-h']], [['--version']], [['--bogus']], [['extra']], [['-n', '0']], [['-n', 'x']], [['--by', 'nothing']],
    [['--match']], [['-p', 'abc']], [['--json', '--json']], [['--procRoot', SNAPSHOT]],
  ])('%j: yargs reads it (help and errors are its own)', (args) => {
    expect(run(args).readBy).toBe('yargs');
  });

  it("the bundle's code cache the build wrote is accepted by this node", () => {
    const result = runCli(['files', '--proc-root', SNAPSHOT, '-n', '1'], { env: DEBUG });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('footprint: code cache accepted\nfootprint: arguments read by the files bundle\n');
  });

  it('a closed pipe ends it quietly (its ClosedPipe is a class of its own copy)', () => {
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" files --proc-root ${SNAPSHOT} --mappings --by program | true; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(result.stdout).toBe('0\n');
    expect(result.stderr).toBe('');
  });
});

describe("readFilesArguments: files' options as yargs would give them, or undefined", () => {
  const DEFAULTS = { by: 'file', mappings: false, json: false, csv: false, units: 'auto', wide: false };
  it.each([
    [[], {}],
    [['--json', '-n', '20'], { json: true, top: '20' }],
    [['--by', 'program', '--mappings'], { by: 'program', mappings: true }],
    [['-p', '12, 34', '-u', 'www-data'], { pid: [12, 34], user: 'www-data' }],
    [['--match', '^/usr', '--proc-root', '/tmp/snap/proc', '--units', 'GiB'], { match: '^/usr', procRoot: '/tmp/snap/proc', units: 'GiB' }],
  ])('%j', (argv, expected) => {
    expect(readFilesArguments(argv)).toEqual({ ...DEFAULTS, ...expected });
  });

  it.each([
    [['--help']], [['--version']], [['x']], [['--bogus']], [['-n', '0']], [['--top', 'x']], [['-p', 'x']], [['--by']], [['--by', 'user']],
    [['--json', '--json']], [['--']], [['--procRoot', '/x']], [['-u']],
  ])('%j: handed to yargs', (argv) => {
    expect(readFilesArguments(argv)).toBeUndefined();
  });
});
