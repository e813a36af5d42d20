/**
 * `footprint serve` runs from its own bundle (dist/serve.cjs) when its options
 * are plain (src/cli/serveArguments.ts), and everything that reader doubts goes
 * to yargs. Both must do exactly what yargs' path does with the same arguments:
 * the same one-line errors and exit codes, the same listening line, the same
 * metrics. A trailing `--` hands the arguments to yargs, which reads them alike.
 */
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { assertBuilt } from '../helpers/runFootprint.js';
import { BIN, procRoot, runCli } from '../helpers/snapshots.js';
import { exchange, startServe } from '../helpers/serveProcess.js';
import { stopChildren } from '../helpers/liveProcesses.js';
import { readServeArguments } from '../../src/cli/serveArguments.js';
import { mayUseWebConfig } from '../../src/runtime/v8Flags.js';
import { SERVE_OPTIONS } from '../../src/cli/options/fleet.js';

const SNAPSHOT = procRoot('hostile-names');
const DEBUG = { ...process.env, NO_COLOR: '1', FOOTPRINT_DEBUG_STARTUP: '1' };
const started: ChildProcess[] = [];

beforeAll(() => assertBuilt());

afterEach(async () => {
  // Every serve a test started is ended by its PID.
  await stopChildren(started, 'SIGKILL');
});

/** A run that ends at once (a bad argument); which reader read its arguments, the debug lines taken off stderr. */
function run(args: string[]) {
  const result = runCli(['serve', ...args], { env: DEBUG });
  const readBy = /arguments read by (.*)\n/.exec(result.stderr)?.[1];
  return { readBy, status: result.status, stdout: result.stdout, stderr: result.stderr.replace(/^footprint: (code cache|arguments read by) .*\n/gm, '') };
}

/** One GET /metrics: the families served (their # TYPE lines, in order). */
async function families(port: number): Promise<string[]> {
  const { received } = await exchange(port, 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  const text = received.toString('utf8');
  expect(text.startsWith('HTTP/1.1 200 ')).toBe(true);
  return text.split('\n').filter((line) => line.startsWith('# TYPE '));
}

describe("serve from its bundle does what yargs' path does", () => {
  it.each([
    [['--listen', 'nohost']], [['--top', '0']], [['--group', 'cmdline']], [['--min-interval', 'soon']], [['--max-read-ms', '-3']],
    [['--web-config', '/nonexistent/web.yml']], [['--proc-root', '/nonexistent/proc']], [['--rollup-max-rss', 'lots']], [['--cgroup-depth', 'x']],
  ])('%j: the same failure, one line and the same exit code, from either', (args) => {
    const fast = run(args);
    const byYargs = run([...args, '--']);
    expect(fast.readBy).toBe('the serve bundle');
    expect(byYargs.readBy).toBe('yargs');
    expect([1, 2]).toContain(fast.status);
    expect(fast.stderr.split('\n')).toHaveLength(2);
    expect({ status: fast.status, stdout: fast.stdout, stderr: fast.stderr }).toEqual({ status: byYargs.status, stdout: byYargs.stdout, stderr: byYargs.stderr });
  });

  it.each([
    [['--help']], [['-h']], [['--version']], [['--bogus']], [['extra']], [['--listen']], [['--group', 'nothing']],
    [['--top', '5', '--top', '6']], [['--procRoot', SNAPSHOT, '--listen', 'nohost']], [['--exact', '--exact', '--listen', 'nohost']],
  ])('%j: yargs reads it (help and errors are its own)', (args) => {
    expect(run(args).readBy).toBe('yargs');
  });

  it('serves the same families, after the same listening line, from either', async () => {
    const args = ['--proc-root', SNAPSHOT, '--top', '3', '--min-interval', '0'];
    const fast = await startServe(started, args, [], undefined, { FOOTPRINT_DEBUG_STARTUP: '1' });
    const byYargs = await startServe(started, [...args, '--'], [], undefined, { FOOTPRINT_DEBUG_STARTUP: '1' });
    expect(fast.stderr()).toContain('footprint: arguments read by the serve bundle\n');
    expect(byYargs.stderr()).toContain('footprint: arguments read by yargs\n');
    const listening = (serve: typeof fast) => /footprint serve: metrics on .*\n/.exec(serve.stderr())![0].replace(`:${serve.port}/`, ':PORT/');
    expect(listening(fast)).toBe(listening(byYargs));
    const served = await families(fast.port);
    expect(served).toContain('# TYPE footprint_writable_bytes gauge');
    expect(served).toEqual(await families(byYargs.port));
  });

  it('--version goes through yargs and prints the version', () => {
    const result = spawnSync(process.execPath, [BIN, 'serve', '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("readServeArguments: serve's options as yargs would give them, or undefined", () => {
  const DEFAULTS = Object.fromEntries(Object.entries(SERVE_OPTIONS).filter(([, option]) => 'default' in option)
    .map(([name, option]) => [name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()), (option as { default: unknown }).default]));

  it.each([
    [[], {}],
    [['--listen', '127.0.0.1:9999', '--top', '20'], { listen: '127.0.0.1:9999', top: '20' }],
    [['--min-interval', '0', '--exact'], { minInterval: '0', exact: true }],
    [['--group', 'user', '--cgroup-depth', '3'], { group: 'user', cgroupDepth: '3' }],
  ])('%j', (argv, expected) => {
    expect(readServeArguments(argv)).toEqual({ ...DEFAULTS, ...expected });
  });

  it.each([
    [['--help']], [['--version']], [['x']], [['--bogus']], [['--listen']], [['--group', 'nothing']], [['--top', '1', '--top', '2']], [['--']],
  ])('%j: undefined (yargs reads it)', (argv) => {
    expect(readServeArguments(argv)).toBeUndefined();
  });
});

describe('mayUseWebConfig: whether serve keeps V8\'s optimiser (bcrypt needs it)', () => {
  it.each([
    [[], false], [['--listen', '127.0.0.1:1'], false], [['--web-config', 'web.yml'], true], [['--web-config=web.yml'], true],
    [['--webConfig', 'web.yml'], true], [['--dir', '/web-config'], false],
  ])('%j: %s', (argv, expected) => {
    expect(mayUseWebConfig(argv)).toBe(expected);
  });
});
