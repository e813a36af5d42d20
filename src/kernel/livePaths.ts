import { fs } from '../requireBuiltin.js';

/**
 * Where the live kernel's files are: the one place their paths are spelled.
 * Everything else names a root (a ProcReader's, a cgroup tree's) or asks the
 * kernel room; store/ may name them only to refuse writing there.
 */
export const LIVE_PROC = '/proc';
export const LIVE_CGROUP = '/sys/fs/cgroup';
export const LIVE_KMSG = '/dev/kmsg';
export const LIVE_PASSWD = '/etc/passwd';

/** /proc/self/fd/FD: a directory held open, named for a *at call Node lacks (readdir, readlink of a name under it). */
export function heldDirectoryPath(fd: number): string {
  return `${LIVE_PROC}/self/fd/${fd}`;
}

/**
 * Whether this kernel has smaps (Linux only): where it does not, the report
 * falls back to RSS alone. node:fs through require(), as main() loads it.
 */
export function hasLiveSmaps(): boolean {
  return process.platform === 'linux' && fs.existsSync(`${LIVE_PROC}/self/smaps`);
}
