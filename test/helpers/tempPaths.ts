/**
 * Every temporary folder the tests make, removed by the end of the run, also
 * when a test fails or times out (Jest's node environment never fires
 * process 'exit', so a handler there removes nothing).
 *
 * - test/helpers/globalSetup.ts makes this run's folder, /tmp/footprint-testrun-XXXXXX
 *   (its list of paths, its owner, the fixture binaries it compiled), and names it in
 *   FOOTPRINT_TEST_RUN, which Jest's workers inherit.
 * - tempDir(PREFIX) makes a folder in os.tmpdir() and adds it to the list; a test
 *   that removes its own in afterAll still may (a missing path is no error).
 * - test/helpers/globalTeardown.ts removes every listed path, then the run's folder.
 *   Bounded: only a name `footprint-*` directly in os.tmpdir(); a link is removed,
 *   never followed; a folder on another file system (a mount a test left) is left,
 *   and said.
 * - A run ended before its teardown (killed) leaves its folder: the next run's
 *   setup removes what it listed, once its owner (PID and start time) is gone.
 *
 * Imports only Node's modules: Jest loads its global hooks outside its module map,
 * so they load this file through the transform hook (see globalSetup.ts).
 */
import { appendFileSync, chmodSync, closeSync, constants, fstatSync, lstatSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, normalize } from 'node:path';

/** Names this run's folder; set by globalSetup, inherited by every worker. */
export const TEST_RUN_VARIABLE = 'FOOTPRINT_TEST_RUN';

/** The only names the teardown removes: `footprint-*`, directly in os.tmpdir(). */
export const TEMP_PREFIX = 'footprint-';

/** A run's folder: `footprint-testrun-XXXXXX`. */
const RUN_PREFIX = `${TEMP_PREFIX}testrun-`;
const LIST = 'paths';
const OWNER = 'owner';
/** A list longer than this is not one of ours: read no further. */
const LIST_CAP_BYTES = 4 * 1024 * 1024;

/** This run's folder, or undefined outside a Jest run started with the global setup. */
export function testRunDir(): string | undefined {
  const dir = process.env[TEST_RUN_VARIABLE];
  return dir !== undefined && dir !== '' ? dir : undefined;
}

/** Adds PATH to this run's list, for the teardown to remove (outside a run: the caller removes it). */
export function listTempPath(path: string): void {
  const run = testRunDir();
  if (run !== undefined) appendFileSync(join(run, LIST), `${path}\n`);
}

/**
 * A new folder os.tmpdir()/PREFIXXXXXXX, listed for removal at the end of the run.
 * PREFIX starts with `footprint-` and names no other folder.
 */
export function tempDir(prefix: string): string {
  if (!prefix.startsWith(TEMP_PREFIX) || prefix.includes('/') || prefix.includes('\n')) {
    throw new Error(`tempDir: the prefix must start with ${TEMP_PREFIX} and hold no / or newline: ${JSON.stringify(prefix)}`);
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  listTempPath(dir);
  return dir;
}

/** Whether the teardown may remove PATH: a `footprint-*` name directly in os.tmpdir(), nothing else. */
export function isRemovableTempPath(path: string, root = tmpdir()): boolean {
  const name = basename(path);
  return path === normalize(path) && dirname(path) === root && name.startsWith(TEMP_PREFIX) && name !== TEMP_PREFIX;
}

/** A directory taken as it is: never through a symbolic link. */
const DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** A name inside an open directory, as a path the kernel resolves from that directory alone (any bytes, any depth). */
const inside = (fd: number, name: Buffer | string): Buffer => Buffer.concat([Buffer.from(`/proc/self/fd/${fd}/`), Buffer.from(name)]);

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/**
 * Removes everything in the open directory FD, deepest first, from descriptors
 * (no link followed, no path too long); a directory on another device than
 * DEVICE is a mount: left, and said in LEFT.
 */
function emptyDirectory(fd: number, shown: string, device: number, left: string[]): void {
  for (const name of readdirSync(inside(fd, ''), { encoding: 'buffer' })) {
    const path = inside(fd, name);
    const shownPath = `${shown}/${name.toString()}`;
    if (!lstatSync(path).isDirectory()) {
      unlinkSync(path);
      continue;
    }
    const child = openSync(path, DIRECTORY);
    try {
      if (fstatSync(child).dev !== device) {
        left.push(`${shownPath}: another file system is mounted there`);
        continue;
      }
      emptyDirectory(child, shownPath, device, left);
    } finally {
      closeSync(child);
    }
    rmdirSync(path);
  }
}

/**
 * Removes one listed PATH and all below it; what it could not remove, with
 * why, is added to LEFT. Missing already: nothing to do.
 */
export function removeTempPath(path: string, left: string[], root = tmpdir()): void {
  if (!isRemovableTempPath(path, root)) {
    left.push(`${JSON.stringify(path)}: not a ${TEMP_PREFIX}* name directly in ${root}, not removed`);
    return;
  }
  try {
    if (!lstatSync(path).isDirectory()) {
      unlinkSync(path);
      return;
    }
    const fd = openSync(path, DIRECTORY);
    try {
      if (fstatSync(fd).dev !== statSync(root).dev) {
        left.push(`${path}: another file system is mounted there`);
        return;
      }
      emptyDirectory(fd, path, fstatSync(fd).dev, left);
    } finally {
      closeSync(fd);
    }
    rmdirSync(path);
  } catch (error) {
    // Gone (removed by the test itself, maybe just now): done.
    if (errorCode(error) === 'ENOENT' && !isThere(path)) return;
    left.push(`${path}: ${(error as Error).message}`);
  }
}

function isThere(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The paths a run listed, each once, in the order made (a list cut short by the cap: its last, partial line dropped). */
export function listedPaths(runDir: string): string[] {
  const buffer = Buffer.alloc(LIST_CAP_BYTES);
  let length = 0;
  try {
    const fd = openSync(join(runDir, LIST), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile()) return [];
      while (length < buffer.length) {
        const read = readSync(fd, buffer, length, buffer.length - length, null);
        if (read === 0) break;
        length += read;
      }
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
  const lines = buffer.toString('utf8', 0, length).split('\n');
  lines.pop();
  return [...new Set(lines.filter((line) => line !== ''))];
}

/** Removes every path RUN_DIR listed, then RUN_DIR itself; returns what was left, with why. */
export function removeTestRun(runDir: string, root = tmpdir()): string[] {
  const left: string[] = [];
  if (!basename(runDir).startsWith(RUN_PREFIX)) return [`${runDir}: not a test run's folder, not removed`];
  for (const path of listedPaths(runDir)) removeTempPath(path, left, root);
  removeTempPath(runDir, left, root);
  return left;
}

/** Field 22 of /proc/PID/stat, the start time in clock ticks since boot; undefined once the process is gone. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Makes this run's folder (readable by all: nobody runs the fixture binaries
 * compiled into it), writes its owner (this process: PID and start time) and an
 * empty list, and returns its path.
 */
export function startTestRun(root = tmpdir()): string {
  const runDir = mkdtempSync(join(root, RUN_PREFIX));
  chmodSync(runDir, 0o755);
  writeFileSync(join(runDir, LIST), '', { flag: 'wx' });
  writeFileSync(join(runDir, OWNER), `${process.pid} ${startTimeOf(process.pid)}\n`, { flag: 'wx' });
  return runDir;
}

/**
 * Removes what each earlier run that ended before its teardown listed: a run's
 * folder whose owner has gone (no process of that PID and start time). A folder
 * with no owner yet is a run starting now: left. Returns what was left, with why.
 */
export function removeAbandonedRuns(root = tmpdir()): string[] {
  const left: string[] = [];
  for (const name of readdirSync(root)) {
    if (!name.startsWith(RUN_PREFIX)) continue;
    const runDir = join(root, name);
    // Only a real folder of this user's: a link or another user's folder is not a run of ours.
    const stats = lstatSync(runDir, { throwIfNoEntry: false });
    if (stats === undefined || !stats.isDirectory() || stats.uid !== process.getuid?.()) continue;
    let owner: string;
    try {
      owner = readFileSync(join(runDir, OWNER), 'utf8');
    } catch {
      continue;
    }
    const [pid, startTime] = owner.trim().split(' ');
    if (!/^\d+$/.test(pid) || startTimeOf(Number(pid)) === startTime) continue;
    left.push(...removeTestRun(runDir, root));
  }
  return left;
}
