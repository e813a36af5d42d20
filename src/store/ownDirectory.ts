import { lstatSync, mkdirSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describeFileError, describeFileKind, isAlreadyThere, isMissing } from '../kernel/files/fileErrors.js';

/*
 * Directories footprint keeps files in. A directory another user owns, or can
 * write in without the sticky bit, is theirs to rearrange between any check
 * and any use: they can rename footprint's folder away and put a link to
 * /etc in its place. So footprint trusts a directory only where no one else
 * can do that, and looks at the last component with lstat: a link is refused,
 * never followed.
 */

const STICKY = 0o1000;
/** Links followed on one path before the walk leaves the rest to the file system (whose ELOOP comes at 40). */
const MAX_LINKS = 40;
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
 * Why `path` leads through a link of another user, or undefined: each
 * component is looked at with lstat and each link on the way (and in the
 * links' targets) must be footprint's own user's or root's. Another user's
 * link decides where root writes, and they can point it elsewhere at any time.
 * The walk stops at the first component that does not exist (it will be made,
 * a real directory); a link that cannot be read is left to the file system.
 */
export function foreignLinkProblem(path: string): string | undefined {
  const uid = effectiveUid();
  let pending = resolve(path).split('/').filter((part) => part !== '');
  let current = '/';
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (name === '.') continue;
    if (name === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, name);
    let stats: Stats;
    try {
      stats = lstatSync(next);
    } catch {
      return undefined;
    }
    if (!stats.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (stats.uid !== uid && stats.uid !== 0) return `${next} is a symbolic link of user ${stats.uid}`;
    if (++links > MAX_LINKS) return undefined;
    let target: string;
    try {
      target = readlinkSync(next);
    } catch {
      return undefined;
    }
    pending = [...target.split('/').filter((part) => part !== ''), ...pending];
    if (target.startsWith('/')) current = '/';
  }
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
    return isMissing(error) ? holderProblem(dirname(dir)) : describeFileError(error);
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
    if (!isAlreadyThere(error)) return describeFileError(error);
  }
  return ownDirectoryProblem(dir);
}

/**
 * Why footprint should not store files in `dir`, a directory the user named
 * (a report directory, a capture's): a link on the way there owned by another
 * user (foreignLinkProblem), a directory
 * owned by another user, or one whose holder lets another user replace it.
 * Undefined when it is fine. `dir` exists.
 */
export function storeDirectoryProblem(dir: string): string | undefined {
  const linked = foreignLinkProblem(dir);
  if (linked !== undefined) return linked;
  const uid = effectiveUid();
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
