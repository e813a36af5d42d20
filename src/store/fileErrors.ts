import { isErrnoError } from '../scan/readFailure.js';

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
};

/** `permission denied (EACCES)`: the reason of a file-system error, for a one-line message. */
export function describeFileError(error: unknown): string {
  if (isErrnoError(error)) return `${PLAIN_REASONS[error.code] ?? error.message.split('\n')[0]} (${error.code})`;
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
