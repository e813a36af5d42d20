import type { Stats } from 'node:fs';

/**
 * The one errno table (psutil's wrap_exceptions): what each errno code means to
 * footprint, in words and by name. Only this file spells the codes; everything
 * else asks it (isMissing, isNoSuchProcess …) or gets a reason from it
 * (src/kernel/readFailure.ts turns a read's error into denied, missing, exited,
 * malformed). Checked by shape, not `instanceof Error`: an error made in another
 * realm (a worker, a vm context such as the tests') is just as much an errno error.
 */
const PLAIN_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EIO: 'input/output error',
  ELOOP: 'a symbolic link, not followed',
};

/** How a shell words the failures execve gives, and the exit code it gives them: 127 not found, 126 not executable. */
const EXEC_FAILURES: Record<string, [string, number]> = {
  ENOENT: ['command not found', 127],
  EACCES: ['permission denied', 126],
  ENOTDIR: ['not a directory', 126],
  ENOEXEC: ['not an executable format', 126],
  ELOOP: ['too many levels of symbolic links', 126],
  ENAMETOOLONG: ['file name too long', 126],
  ETXTBSY: ['text file busy', 126],
  E2BIG: ['argument list too long', 126],
  EPERM: ['operation not permitted', 126],
};

interface ErrnoLike {
  code: string;
}

/** By shape, not instanceof: an error made in another realm (a vm context, a test runner's) is still one. */
export function isErrnoError(error: unknown): error is ErrnoLike & Error {
  return typeof error === 'object' && error !== null
    && typeof (error as Partial<ErrnoLike>).code === 'string' && typeof (error as Partial<Error>).message === 'string';
}

/** The errno code (`ENOENT` …) of a file-system error, else undefined. */
export function fileErrorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

const hasCode = (error: unknown, ...codes: string[]): boolean => {
  const code = fileErrorCode(error);
  return code !== undefined && codes.includes(code);
};

/** ENOENT: no such file (or, under /proc, no such process). */
export const isMissing = (error: unknown): boolean => hasCode(error, 'ENOENT');
/** ENOTDIR: a name on the way is not a directory. */
export const isNotDirectory = (error: unknown): boolean => hasCode(error, 'ENOTDIR');
/** EEXIST: the name is taken (an O_EXCL open, a link, a mkdir). */
export const isAlreadyThere = (error: unknown): boolean => hasCode(error, 'EEXIST');
/** EACCES, EPERM: not permitted (another user's process, ptrace rules even for root). */
export const isNotPermitted = (error: unknown): boolean => hasCode(error, 'EACCES', 'EPERM');
/** ESRCH: no such process (it exited; a kill(pid, 0) of a PID nobody has; a kernel thread's or zombie's memory). */
export const isNoSuchProcess = (error: unknown): boolean => hasCode(error, 'ESRCH');
/** ELOOP: a symbolic link where none may be followed (O_NOFOLLOW), or a loop. */
export const isLinkLoop = (error: unknown): boolean => hasCode(error, 'ELOOP');
/** EINVAL: readlink of what is not a link; an argument the kernel refuses. */
export const isInvalid = (error: unknown): boolean => hasCode(error, 'EINVAL');
/** EBUSY: in use (a cgroup that still has members). */
export const isBusy = (error: unknown): boolean => hasCode(error, 'EBUSY');
/** EAGAIN: a non-blocking descriptor has nothing now (a full pipe, /dev/kmsg read to its end). */
export const isTryAgain = (error: unknown): boolean => hasCode(error, 'EAGAIN');
/** EPIPE: the reader has gone (`| head`); on /dev/kmsg, records overwritten before they were read. */
export const isClosedPipe = (error: unknown): boolean => hasCode(error, 'EPIPE');
/** EPERM, ENOTSUP, EOPNOTSUPP from link(2): a file system without hard links (vfat, some FUSE). */
export const isHardLinkUnsupported = (error: unknown): boolean => hasCode(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP');

/** The code a ReadFailure keeps for a file that is not a regular one (a FIFO, a device): EINVAL. */
export const NOT_REGULAR_CODE = 'EINVAL';
/** The code a ReadFailure keeps for a file over its cap: EFBIG. */
export const TOO_LARGE_CODE = 'EFBIG';

/** An ENOTDIR error of `path`, as the kernel would give it, for a check the kernel does not make. */
export function notDirectoryError(path: string): Error {
  return Object.assign(new Error(`ENOTDIR: not a directory, ${path}`), { code: 'ENOTDIR' });
}

/** How a shell would word CMD's failure to start (execve's errno), and its exit code. */
export function describeExecFailure(code: string | undefined): [string, number] {
  return EXEC_FAILURES[code ?? ''] ?? [code ?? 'cannot be executed', 126];
}

/** The code of a command that is not there (ENOENT), for an empty command Node refuses before execve. */
export const NOT_FOUND_CODE = 'ENOENT';

/** `permission denied (EACCES)`: the reason of a file-system error, for a one-line message. */
export function describeFileError(error: unknown): string {
  const code = fileErrorCode(error);
  const message = typeof (error as { message?: unknown } | null)?.message === 'string' ? (error as { message: string }).message : String(error);
  if (code !== undefined) return `${PLAIN_REASONS[code] ?? message.split('\n')[0]} (${code})`;
  return message.split('\n')[0];
}

/** `a FIFO`: what kind of file `stats` describes, for a one-line message. */
export function describeFileKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'a regular file';
}
