/**
 * Processes of known, exact memory for the live tests: test/fixtures/memhog.c,
 * compiled once with the machine's `cc` into a world-readable temp dir, started
 * (optionally as user nobody) and always stopped by PID — never by name.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testRunDir } from './tempPaths.js';

export const NOBODY_UID = 65534;
/** Drops to user nobody; setpriv execs the command, so the PID is the command's. */
export const AS_NOBODY = ['setpriv', `--reuid=${NOBODY_UID}`, `--regid=${NOBODY_UID}`, '--clear-groups'];

/**
 * Compiles test/fixtures/NAME.c once per run and source version (statically where
 * libc.a exists, so no shared library's Pss moves when other processes start)
 * into a world-readable folder of the run's own (removed with it: tempPaths.ts;
 * outside a Jest run, one in /tmp kept for the next), then `sync`s so its file
 * pages are clean: "dirty" is the page's state, and a binary written moments ago
 * would otherwise show dirty text. The path holds `footprint-live-`, which
 * knownMemory.test.ts asks smem for.
 */
export function fixtureBinary(name: string): string {
  const sourcePath = fileURLToPath(new URL(`../fixtures/${name}.c`, import.meta.url));
  const source = readFileSync(sourcePath);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = join(testRunDir() ?? tmpdir(), `footprint-live-${name === 'memhog' ? '' : `${name}-`}${hash}`);
  const binary = join(dir, name);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const temp = join(dir, `${name}.${process.pid}.tmp`);
  let cc = spawnSync('cc', ['-O1', '-static', '-o', temp, sourcePath], { encoding: 'utf8' });
  if (cc.status !== 0) cc = spawnSync('cc', ['-O1', '-o', temp, sourcePath], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc failed: ${cc.stderr}`);
  chmodSync(temp, 0o755);
  renameSync(temp, binary);
  spawnSync('sync');
  return binary;
}

export function memhogBinary(): string {
  return fixtureBinary('memhog');
}

let suiteCopy: string | undefined;

/**
 * This test file's own copy of memhog (a separate file, so separate page-cache
 * pages). Pss of the binary's text is split among every process that maps those
 * pages: with one shared binary, a memhog started and stopped by a test file
 * running beside this one moves this file's Pss in the middle of a measurement.
 * The copy is fsync'ed so its text is clean, and keeps the name memhog.
 */
function suiteMemhogBinary(): string {
  if (suiteCopy && existsSync(suiteCopy)) return suiteCopy;
  const shared = memhogBinary();
  const dir = mkdtempSync(join(shared, '..', 'suite-'));
  chmodSync(dir, 0o755);
  const copy = join(dir, 'memhog');
  copyFileSync(shared, copy);
  const fd = openSync(copy, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  suiteCopy = copy;
  return copy;
}

export interface MemhogOptions {
  privateMiB?: number;
  sharedMiB?: number;
  children?: number;
  heapKiB?: number;
  /** MiB of a temp file, written, fsync'ed, unlinked, mapped read-only and read: Private_Clean. */
  fileMiB?: number;
  zombie?: boolean;
  asNobody?: boolean;
}

export interface Memhog {
  pid: number;
  children: number[];
  zombie?: number;
  process: ChildProcess;
}

const started: Memhog[] = [];
const others: ChildProcess[] = [];

/** Starts memhog and resolves once it (and its children) printed "ready". */
export function startMemhog(options: MemhogOptions): Promise<Memhog> {
  const args: string[] = [];
  if (options.privateMiB) args.push('-p', String(options.privateMiB));
  if (options.sharedMiB) args.push('-s', String(options.sharedMiB));
  if (options.children) args.push('-c', String(options.children));
  if (options.heapKiB) args.push('-H', String(options.heapKiB));
  if (options.fileMiB) args.push('-f', String(options.fileMiB));
  if (options.zombie) args.push('-z');
  const binary = suiteMemhogBinary();
  const command = options.asNobody ? [...AS_NOBODY, binary, ...args] : [binary, ...args];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`memhog ${args.join(' ')} not ready after 45 s: ${err}`)), 45_000);
    function fail(error: Error): void {
      clearTimeout(timer);
      if (child.pid !== undefined) child.kill('SIGKILL');
      reject(error);
    }
    child.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    const early = (code: number | null) => fail(new Error(`memhog exited with ${code}: ${err}`));
    child.once('error', fail);
    child.once('exit', early);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^ready (\d+) children=([\d,]*) zombie=(\d+)\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.off('exit', early);
      const hog: Memhog = {
        pid: Number(m[1]),
        children: m[2] === '' ? [] : m[2].split(',').map(Number),
        zombie: m[3] === '0' ? undefined : Number(m[3]),
        process: child,
      };
      if (hog.pid !== child.pid) return fail(new Error(`memhog says PID ${hog.pid}, spawned ${child.pid}`));
      started.push(hog);
      resolve(hog);
    });
  });
}

/** Starts any other helper process (e.g. a churn loop), stopped with the rest. */
export function startHelper(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore' });
  others.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Kills everything started here, by PID. Children go first, while their parent
 * (which has not reaped them) still holds their PIDs, so a PID is never reused
 * under us; then each parent, which node reaps; its zombie goes with it.
 */
export async function stopAll(): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const hog of started.splice(0)) {
    const parentAlive = hog.process.exitCode === null && hog.process.signalCode === null;
    // Once the parent is gone, PR_SET_PDEATHSIG has killed its children and init
    // reaped them: their PIDs may be someone else's by now, so leave them be.
    if (parentAlive) {
      for (const pid of hog.children) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      }
    }
    hog.process.kill('SIGKILL');
    waits.push(exited(hog.process));
  }
  for (const child of others.splice(0)) {
    child.kill('SIGKILL');
    waits.push(exited(child));
  }
  await Promise.all(waits);
  if (suiteCopy) rmSync(join(suiteCopy, '..'), { recursive: true, force: true });
  suiteCopy = undefined;
}

/** Ends every child a test started, by its PID, and waits for each to be gone; empties the list. */
export async function stopChildren(children: ChildProcess[], signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  await Promise.all(children.splice(0).map((child) => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  })));
}
