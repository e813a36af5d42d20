/**
 * What a descriptor (or a map_files entry) refers to, from the text of its
 * link in /proc/PID/fd/ (proc(5); fs/d_path.c, d_path and the pseudo files'
 * d_dname). readlink gives the name raw: a newline or an escape in it is the
 * file's own name, never a field separator (unlike maps, which prints a
 * newline in a path as \012). The kinds shared memory hides behind:
 *
 *   /memfd:NAME (deleted)   memfd_create(NAME); "(deleted)" always (it never had a link)
 *   /PATH (deleted)         a file unlinked while open; on a tmpfs, it still costs Shmem
 *   /SYSV0000abcd (deleted) a SysV segment (through map_files, not fd)
 *   /dev/zero (deleted)     a MAP_SHARED|MAP_ANONYMOUS region (through map_files)
 *   socket:[INODE], pipe:[INODE], anon_inode:[eventfd], anon_inode:NAME: no file
 *
 * A name can end in " (deleted)" of its own will: only the link count of a
 * stat of the descriptor says for certain; the caller that has one trusts it.
 */
export type FdTarget =
  | { kind: 'memfd'; name: string }
  | { kind: 'path'; path: string; deleted: boolean }
  /** socket, pipe, anon_inode and other objects with no path: the part before the colon, and the rest. */
  | { kind: 'object'; type: string; detail: string };

const DELETED = ' (deleted)';
const MEMFD = '/memfd:';
const OBJECT = /^([a-z_]{1,32}):(.*)$/s;

export function parseFdTarget(link: string): FdTarget {
  const deleted = link.endsWith(DELETED);
  const path = deleted ? link.slice(0, -DELETED.length) : link;
  if (path.startsWith(MEMFD)) return { kind: 'memfd', name: path.slice(MEMFD.length) };
  if (path.startsWith('/')) return { kind: 'path', path, deleted };
  const object = OBJECT.exec(link);
  if (object !== null) return { kind: 'object', type: object[1], detail: object[2] };
  // Anything else (a link of a captured tree): a path that is not absolute, taken as the text it is.
  return { kind: 'path', path, deleted };
}
