import { lstatSync, mkdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { describeFileError, describeFileKind, fileErrorCode } from './fileErrors.js';

/*
 * Directories footprint keeps files in. A directory another user owns, or can
 * write in without the sticky bit, is theirs to rearrange between any check
 * and any use: they can rename footprint's folder away and put a link to
 * /etc in its place. So footprint trusts a directory only where no one else
 * can do that, and looks at the last component with lstat: a link is refused,
 * never followed.
 */

const STICKY = 0o1000;
const OTHERS_WRITE = 0o022;

function effectiveUid(): number {
  return process.geteuid?.() ?? 0;
}

/** Why another user can rearrange the entries of the directory `stats` describes, or undefined. */
function othersCanRearrange(stats: Stats): string | undefined {
  const uid = effectiveUid();
  if (stats.uid !== uid && stats.uid !== 0) return `it belongs to user ${stats.uid}`;
  if ((stats.mode & OTHERS_WRITE) !== 0 && (stats.mode & STICKY) === 0) return 'other users can write in it and it is not sticky';
  return undefined;
}

/**
 * Why the directory that holds one of footprint's own (a report directory,
 * the folder a capture goes into) lets another user replace it, or undefined.
 * Its links are the user's own choice and are followed.
 */
function holderProblem(dir: string): string | undefined {
  let real: string;
  let stats: Stats;
  try {
    real = realpathSync(dir);
    stats = statSync(real);
  } catch (error) {
    return `cannot look at ${dir}: ${describeFileError(error)}`;
  }
  const problem = othersCanRearrange(stats);
  return problem === undefined ? undefined : `${real}, which holds it: ${problem}`;
}

/**
 * Why `dir` cannot be a directory footprint keeps its own files in (the
 * history index, a capture's staging folder), or undefined. It must be a real
 * directory (a link is refused, not followed), footprint's user's, that no one
 * else can write in; and the directory holding it must not let another user
 * rename it away. A missing `dir` is undefined: the caller makes it (makeOwnDirectory).
 */
export function ownDirectoryProblem(dir: string): string | undefined {
  let stats: Stats;
  try {
    stats = lstatSync(dir);
  } catch (error) {
    return fileErrorCode(error) === 'ENOENT' ? holderProblem(dirname(dir)) : describeFileError(error);
  }
  if (!stats.isDirectory()) return `it is ${describeFileKind(stats)}, not a directory footprint made`;
  const uid = effectiveUid();
  if (stats.uid !== uid) return `it belongs to user ${stats.uid}, not ${uid}: footprint made no such directory`;
  if ((stats.mode & OTHERS_WRITE) !== 0) return 'other users can write in it';
  return holderProblem(dirname(dir));
}

/**
 * Makes `dir` (one level; its parent exists) with `mode` unless it is there,
 * then checks it (ownDirectoryProblem). mkdir(2) never follows a link at the
 * name. Returns the problem, or the file system's error, as a one-line reason.
 */
export function makeOwnDirectory(dir: string, mode: number): string | undefined {
  const before = ownDirectoryProblem(dir);
  if (before !== undefined) return before;
  try {
    mkdirSync(dir, { mode });
  } catch (error) {
    if (fileErrorCode(error) !== 'EEXIST') return describeFileError(error);
  }
  return ownDirectoryProblem(dir);
}

/**
 * Why footprint should not store files in `dir`, a directory the user named
 * (a report directory, a capture's): a link there owned by another user (one
 * the kernel's fs.protected_symlinks would not follow either), a directory
 * owned by another user, or one whose holder lets another user replace it.
 * Undefined when it is fine. `dir` exists.
 */
export function storeDirectoryProblem(dir: string): string | undefined {
  let link: Stats;
  try {
    link = lstatSync(dir);
  } catch (error) {
    return describeFileError(error);
  }
  const uid = effectiveUid();
  if (link.isSymbolicLink() && link.uid !== uid && link.uid !== 0) return `it is a symbolic link of user ${link.uid}`;
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    return describeFileError(error);
  }
  if (!stats.isDirectory()) return `it is ${describeFileKind(stats)}, not a directory`;
  if (stats.uid !== uid && stats.uid !== 0) return `it belongs to user ${stats.uid}`;
  return holderProblem(dirname(realpathSync(dir)));
}
