import { accessSync, constants, mkdirSync, realpathSync, statSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isAlreadyThere, isMissing, notDirectoryError } from '../kernel/files/fileErrors.js';

/**
 * File systems that are the kernel's interfaces, not storage (statfs f_type,
 * from linux/magic.h). A file "written" there is a kernel setting or an error;
 * a directory made under /sys/fs/cgroup/memory is a new cgroup. And mkdir -p
 * under /proc never ends: Node's recursive mkdir retries `mkdir /proc/x`
 * (ENOENT) after `mkdir /proc` (EEXIST) forever, at 100% CPU.
 */
const KERNEL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'], [0x62656572, 'sysfs'], [0x27e0eb, 'cgroup'], [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'], [0x74726163, 'tracefs'], [0x73636673, 'securityfs'], [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'], [0x6165676c, 'pstore'], [0xde5e81e4, 'efivarfs'], [0x1cd1, 'devpts'],
]);

/** An error that is not the file system's (no errno): the place itself is wrong. Its message is the reason. */
export class UnwritablePlace extends Error {
  override name = 'UnwritablePlace';
}

/** The deepest existing directory at or above `path` (a relative path is taken from the working directory). */
function nearestExisting(path: string): string {
  let current = resolve(path);
  for (;;) {
    try {
      statSync(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/** /dev, where devtmpfs (whose statfs type is tmpfs's) holds the machine's device nodes; /dev/shm under it is storage. */
function isDeviceDirectory(real: string): boolean {
  return (real === '/dev' || real.startsWith('/dev/')) && real !== '/dev/shm' && !real.startsWith('/dev/shm/');
}

/**
 * Why nothing can be stored at `path` (a directory, or the directory a file
 * goes into, existing or not), or undefined: it lies on a kernel file system,
 * or under /dev, whose links (/dev/stdout, /dev/disk/by-id/…) are the
 * system's: a file renamed over one would replace it for the whole machine.
 */
export function kernelPlaceProblem(path: string): string | undefined {
  const existing = nearestExisting(path);
  let type: number;
  try {
    type = Number(statfsSync(existing).type);
  } catch {
    return undefined;
  }
  const name = KERNEL_FILE_SYSTEMS.get(type);
  if (name === undefined) {
    let resolved = existing;
    try {
      resolved = realpathSync(existing);
    } catch {
      // The path as given, then.
    }
    return isDeviceDirectory(resolved) ? 'it is under /dev (device nodes, not storage)' : undefined;
  }
  let real = existing;
  try {
    real = realpathSync(existing);
  } catch {
    // The path as given, then.
  }
  const top = ['/proc', '/sys', '/dev'].find((root) => real === root || real.startsWith(`${root}/`));
  return `it is under ${top ?? 'a mount point'} (${name}, a kernel file system, not storage)`;
}


/**
 * mkdir -p without Node's loop: refuses a kernel file system first, then
 * makes each missing directory in turn, so the first real error (EROFS,
 * EACCES, ENOTDIR) is the one thrown. A directory made meanwhile by another
 * run is fine. Throws UnwritablePlace or the file system's error.
 */
export function makeDirectories(dir: string, mode: number): void {
  const problem = kernelPlaceProblem(dir);
  if (problem !== undefined) throw new UnwritablePlace(problem);
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    try {
      statSync(current);
      break;
    } catch (error) {
      if (!isMissing(error) || dirname(current) === current) throw error;
      missing.unshift(current);
    }
  }
  for (const each of missing) {
    try {
      mkdirSync(each, { mode });
    } catch (error) {
      if (!isAlreadyThere(error)) throw error;
    }
  }
}

/**
 * Throws unless a file can be created in directory `dir`: a kernel file system
 * (UnwritablePlace), or access(2)'s answer, which is EROFS on a read-only
 * mount and EACCES without permission, before any work is done.
 */
export function checkWritableDirectory(dir: string): void {
  const problem = kernelPlaceProblem(dir);
  if (problem !== undefined) throw new UnwritablePlace(problem);
  // access(2) on a plain file asks for its own bits: what stops a file being made in it is that it is not a directory.
  if (!statSync(dir).isDirectory()) throw notDirectoryError(dir);
  accessSync(dir, constants.W_OK | constants.X_OK);
}
