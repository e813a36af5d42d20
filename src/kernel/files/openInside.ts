import { closeSync, constants, lstatSync, openSync, readlinkSync } from 'node:fs';
import { isLinkLoop, isNotDirectory } from './fileErrors.js';

/**
 * O_PATH (linux/fcntl.h, not in Node's constants): a handle on a directory to
 * look names up in, without opening the directory itself for reading.
 */
const O_PATH = 0o10000000;

/** A directory on the way, taken as it is: a symbolic link there fails (ENOTDIR) instead of being followed. */
export const DIRECTORY_HANDLE = O_PATH | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/**
 * Opened, failed as a file system fails (`error`, an errno error for the caller
 * to classify), or refused: a captured tree that leads out of itself (`refused`
 * says how).
 */
export type OpenedInside = { ok: true; fd: number } | { ok: false; error: unknown } | { ok: false; refused: string };

/**
 * A path through an open directory: the kernel's /proc/self/fd/N resolves to
 * that very directory, not to whatever its name means now. Node has no
 * openat(2); this is the same lookup.
 */
function within(directory: number | undefined, root: string, name: string): string {
  return directory === undefined ? `${root}/${name}` : `/proc/self/fd/${directory}/${name}`;
}

function isSymbolicLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function linkRefused(relative: string): { ok: false; refused: string } {
  return { ok: false, refused: `${relative} is a symbolic link; a captured tree is read only inside itself` };
}

/**
 * Opens `relative` under `root` (a captured tree, which anyone may have made)
 * with no symbolic link followed below the root, so that nothing outside the
 * tree is ever opened: each directory on the way is taken with O_NOFOLLOW and
 * the next name looked up inside that very directory (see within()), so a
 * link swapped in meanwhile cannot redirect it; the last name is opened with
 * `flags` and O_NOFOLLOW. A name that is empty, `.` or `..` is refused: the
 * tree's paths are the kernel's (PIDs, file names, cgroup names), never those.
 * The root itself is taken as named: it is the user's word.
 */
export function openInside(root: string, relative: string, flags: number): OpenedInside {
  const names = relative.split('/');
  if (!names.every(isPlainName)) return notPlain(relative);
  let directory: number | undefined;
  try {
    for (let i = 0; i < names.length; i++) {
      const last = i === names.length - 1;
      const next = openName(directory, root, names[i], last ? flags : DIRECTORY_HANDLE, names.slice(0, i + 1).join('/'));
      if (!next.ok) return next;
      if (directory !== undefined) closeSync(directory);
      directory = next.fd;
    }
    const fd = directory!;
    directory = undefined;
    return { ok: true, fd };
  } finally {
    if (directory !== undefined) closeSync(directory);
  }
}

/**
 * Opens `name` in a directory already reached inside the tree (a handle from
 * openInside(..., DIRECTORY_HANDLE)), with `flags` and O_NOFOLLOW; `relative`
 * names it in a refusal. One open: no walk again for the files of a process.
 */
export function openInDirectory(directory: number, name: string, flags: number, relative: string): OpenedInside {
  return isPlainName(name) ? openName(directory, '', name, flags, relative) : notPlain(relative);
}

function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/');
}

function notPlain(relative: string): { ok: false; refused: string } {
  return { ok: false, refused: `"${relative}" is not a path of plain names` };
}

/** One name in `directory` (or the root), never followed. */
function openName(directory: number | undefined, root: string, name: string, flags: number, relative: string): OpenedInside {
  const path = within(directory, root, name);
  try {
    return { ok: true, fd: openSync(path, flags | constants.O_NOFOLLOW) };
  } catch (error) {
    // ENOTDIR (a directory handle) or ELOOP (O_NOFOLLOW) is what a link gives: lstat says which it was.
    if ((isNotDirectory(error) || isLinkLoop(error)) && isSymbolicLink(path)) return linkRefused(relative);
    return { ok: false, error };
  }
}

export type LinkInside = { ok: true; target: string } | { ok: false; error: unknown } | { ok: false; refused: string };

/**
 * The text of the link `relative` (e.g. PID/exe, which capture writes as a
 * link) in a captured tree: data, never followed. The directories on the way
 * are taken as openInside() takes them; or `directory`, a handle on the
 * link's directory already reached inside the tree.
 */
export function readLinkInside(root: string, relative: string, directory?: number): LinkInside {
  const slash = relative.lastIndexOf('/');
  const name = relative.slice(slash + 1);
  if (!isPlainName(name)) return notPlain(relative);
  if (directory !== undefined || slash < 0) return readLinkText(within(directory, root, name));
  const parent = openInside(root, relative.slice(0, slash), DIRECTORY_HANDLE);
  if (!parent.ok) return parent;
  try {
    return readLinkText(within(parent.fd, root, name));
  } finally {
    closeSync(parent.fd);
  }
}

function readLinkText(path: string): LinkInside {
  try {
    return { ok: true, target: readlinkSync(path) };
  } catch (error) {
    return { ok: false, error };
  }
}
