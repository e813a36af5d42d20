import type { Stats } from 'node:fs';

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

/**
 * The errno code (`ENOENT` …) of a file-system error, else undefined. Checked
 * by shape, not `instanceof Error`: an error made in another realm (a worker,
 * a vm context such as the tests') is just as much a file-system error.
 */
export function fileErrorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

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
