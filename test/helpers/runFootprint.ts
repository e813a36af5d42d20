/**
 * Runs the built footprint (bin/ + dist/, as users get it) as a child process,
 * as root or, dropping privileges for real with setpriv, as user nobody.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AS_NOBODY } from './liveProcesses.js';
import type { ExpectedFigures } from './procRead.js';
import { tempDir } from './tempPaths.js';

/** The installed tree to run: the repo, or FOOTPRINT_HOME (a dir holding bin/, dist/, package.json). */
export const FOOTPRINT_HOME = process.env.FOOTPRINT_HOME ?? fileURLToPath(new URL('../..', import.meta.url));

/** The one path of the built CLI the tests run: FOOTPRINT_HOME's bin/footprint.js. */
export const FOOTPRINT_BIN = join(FOOTPRINT_HOME, 'bin', 'footprint.js');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(join(FOOTPRINT_HOME, 'dist', 'footprint.cjs'))) {
    throw new Error(`${FOOTPRINT_HOME}/dist/footprint.cjs is missing: run \`npm run build\` before the live tests`);
  }
}

interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
}

/** A command to its end: NO_COLOR unless an environment is given; the timeout is a safety net far from any real run. */
function run(command: string[], options: RunOptions = {}): RunResult {
  const result = spawnSync(command[0], command.slice(1), {
    encoding: 'utf8', cwd: options.cwd, input: options.input, timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
    env: options.env ?? { ...process.env, NO_COLOR: '1' },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The one runner of the built CLI: `node FOOTPRINT_BIN ARGS` as root (the test runner's user), waited for. */
export function runCli(args: string[], options: RunOptions = {}): RunResult {
  return run([process.execPath, FOOTPRINT_BIN, ...args], options);
}

/** footprint ARGS as root: runCli with its defaults. */
export function footprint(args: string[]): RunResult {
  return runCli(args);
}

let nobodyHome: string | undefined;
let copiedHome: string | undefined;

/**
 * Where nobody can run footprint from: the tree itself when nobody can read it,
 * else a world-readable copy of bin/, dist/ and package.json (dist/ is a bundle,
 * so node_modules is not needed, but for re2js, which run --mark loads from it).
 */
export function homeForNobody(): string {
  if (nobodyHome !== undefined) return nobodyHome;
  const probe = run([...AS_NOBODY, 'test', '-r', join(FOOTPRINT_HOME, 'dist', 'footprint.cjs')]);
  if (probe.status === 0) {
    nobodyHome = FOOTPRINT_HOME;
    return nobodyHome;
  }
  copiedHome = tempDir('footprint-nobody-');
  for (const entry of ['bin', 'dist', 'package.json', 'node_modules/re2js']) cpSync(join(FOOTPRINT_HOME, entry), join(copiedHome, entry), { recursive: true });
  chmodSync(copiedHome, 0o755);
  const chmod = run(['chmod', '-R', 'a+rX', copiedHome]);
  if (chmod.status !== 0) throw new Error(`chmod failed: ${chmod.stderr}`);
  nobodyHome = copiedHome;
  return nobodyHome;
}

/** footprint ARGS as user nobody (uid/gid 65534, no supplementary groups), from / . */
export function footprintAsNobody(args: string[]): RunResult {
  return run([...AS_NOBODY, process.execPath, join(homeForNobody(), 'bin', 'footprint.js'), ...args], { cwd: '/' });
}

export function removeNobodyCopy(): void {
  if (copiedHome !== undefined) rmSync(copiedHome, { recursive: true, force: true });
  copiedHome = undefined;
  nobodyHome = undefined;
}

/** The footprint.report/1 document of a successful --json run. */
export function reportJson(result: RunResult): Report {
  if (result.status !== 0) throw new Error(`footprint exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Report;
}

/** A group of the JSON report, as the live tests read it. */
export interface Group extends ExpectedFigures {
  name: string;
  count: number;
  pids: number[];
  estimated: boolean;
}

/** Only the figures of a group, to compare with figuresFromRollup. */
export function figuresOf(group: ExpectedFigures): ExpectedFigures {
  const { writable, privateClean, private: priv, shared, ram, pss, rss, swap } = group;
  return { writable, privateClean, private: priv, shared, ram, pss, rss, swap };
}

export interface Report {
  schema: string;
  source: string;
  groupBy: string;
  scan: { seen: number; measured: number; kernelThreads: number; denied: number; gone: number; zombies: number; estimated: number; ms: number };
  groups: Group[];
  totals: Record<string, number>;
  system: Record<string, number>;
}
