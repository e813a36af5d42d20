import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { fileErrorCode, isMissing } from './files/fileErrors.js';
import { bytesToText } from './kmsg/byteText.js';

/** A counter file or cgroup.procs is small; 1 MiB is 130,000 members (CgroupReader's cap). */
const MAX_FILE_BYTES = 1024 * 1024;
/** Cgroups read at most: memory cgroups are at most 65,535 (MEM_CGROUP_ID_MAX), so a real hierarchy is never cut. */
const MAX_CGROUPS = 100_000;
/** Cgroups named where they could not be read: a few tell why, the count says how many. */
const MAX_UNREAD_LISTED = 32;

/** One cgroup, open while it is visited: its path, and its files read through its directory. */
export interface CgroupDir {
  /** "/" for the top, else "/a/b": each name as bytesToText keeps it (a name not UTF-8 is kept, byte for byte). */
  path: string;
  /** A file of the cgroup, whole and bounded; undefined where it cannot be read (a cgroup gone meanwhile, a file the kernel lacks). */
  read(name: string): string | undefined;
}

export interface CgroupWalk {
  /** Cgroups visited. */
  visited: number;
  /** Cgroups that could not be visited, each counted (not the points where the walk stopped): their reasons, a few. */
  unread: number;
  unreadReasons: string[];
}

const DIRECTORY = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
/** Without blocking (a FIFO's open would wait for a writer), never a link, never a controlling terminal. */
const FILE = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

/** A name inside an open directory, as a path the kernel resolves from that directory alone: openat() through /proc/self/fd. */
function inside(fd: number, name: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`/proc/self/fd/${fd}/`), typeof name === 'string' ? Buffer.from(name) : name]);
}

interface Frame {
  path: string;
  /** Its directory, open while it is within HELD_LEVELS of the cgroup being visited; undefined once let go. */
  fd: number | undefined;
  /** Its child directories' names, as the kernel gave their bytes. */
  children: Buffer[];
  next: number;
  /** Who it is, to know the same directory again when it is opened back from a child's "..". */
  dev: number;
  ino: number;
}

/** Directories held open down the walk: a real tree (a dozen levels) never opens one twice; a deeper one reopens each level above this from its child's "..". */
const HELD_LEVELS = 32;

/**
 * A file of an open directory, whole and bounded: opened without following a
 * link (a captured tree's file could be one) and without blocking, refused
 * unless a regular file, read from its descriptor up to `cap` bytes.
 */
function readInside(dir: number, name: string, cap: number, holder: { bytes: Buffer }): string | undefined {
  let fd: number;
  try {
    fd = openSync(inside(dir, name), FILE);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    let length = 0;
    for (;;) {
      if (length === holder.bytes.length) {
        if (length > cap) return undefined;
        const grown = Buffer.allocUnsafe(Math.min(length * 2, cap + 1));
        holder.bytes.copy(grown, 0, 0, length);
        holder.bytes = grown;
      }
      const got = readSync(fd, holder.bytes, length, holder.bytes.length - length, null);
      if (got === 0) break;
      length += got;
    }
    return length > cap ? undefined : holder.bytes.toString('utf8', 0, length);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Walks a cgroup hierarchy from `root`, parent before child, calling `visit`
 * for each cgroup. Every directory is opened from its parent's open
 * descriptor (openat through /proc/self/fd, O_NOFOLLOW | O_DIRECTORY): no path
 * is ever longer than one name, so a cgroup 4,096 bytes or 64 levels down is
 * read like any other, a name that is not UTF-8 is opened by its bytes, and no
 * link is followed out of the tree (nor is a file that is a link read). The
 * directories down to the one visited stay open, up to HELD_LEVELS of them;
 * above that, going back up, a parent is opened again as its child's "..",
 * and taken only if it is the same directory (device and inode) — a tree
 * renamed under the walk ends that branch, counted as unread. A cgroup that
 * vanished between its listing and its visit is simply gone, not unread.
 */
export function walkCgroupDirs(root: string, visit: (cgroup: CgroupDir) => void): CgroupWalk {
  const walk: CgroupWalk = { visited: 0, unread: 0, unreadReasons: [] };
  const unread = (path: string, reason: string, count = 1) => {
    walk.unread += count;
    if (walk.unreadReasons.length < MAX_UNREAD_LISTED) walk.unreadReasons.push(`${path}: ${reason}`);
  };
  let top: number;
  try {
    top = openSync(root, DIRECTORY);
  } catch (error) {
    unread('/', fileErrorCode(error) ?? 'an error');
    return walk;
  }
  const holder = { bytes: Buffer.allocUnsafe(16 * 1024) };
  const frames: Frame[] = [];
  /** Visits the cgroup open at `fd` and pushes its frame, letting go of the directory HELD_LEVELS above. */
  const enter = (fd: number, path: string): void => {
    const stats = fstatSync(fd);
    walk.visited++;
    visit({ path, read: (name) => readInside(fd, name, MAX_FILE_BYTES, holder) });
    let children: Buffer[] = [];
    try {
      children = readdirSync(inside(fd, ''), { withFileTypes: true, encoding: 'buffer' }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    } catch (error) {
      const code = fileErrorCode(error);
      if (!isMissing(error)) unread(path, `its children: ${code ?? 'an error'}`);
    }
    frames.push({ path, fd, children, next: 0, dev: stats.dev, ino: stats.ino });
    const far = frames[frames.length - 1 - HELD_LEVELS];
    if (far?.fd !== undefined) {
      closeSync(far.fd);
      far.fd = undefined;
    }
  };
  try {
    enter(top, '/');
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame.next < frame.children.length) {
        const name = frame.children[frame.next++];
        const path = `${frame.path === '/' ? '' : frame.path}/${bytesToText(name)}`;
        if (walk.visited >= MAX_CGROUPS) {
          unread(path, `past ${MAX_CGROUPS} cgroups`, frame.children.length - frame.next + 1);
          frame.next = frame.children.length;
          continue;
        }
        let child: number;
        try {
          child = openSync(inside(frame.fd!, name), DIRECTORY);
        } catch (error) {
          const code = fileErrorCode(error);
          if (!isMissing(error)) unread(path, code ?? 'an error');
          continue;
        }
        enter(child, path);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent !== undefined && parent.fd === undefined) parent.fd = reopenParent(frame.fd!, parent);
      closeSync(frame.fd!);
      if (parent !== undefined && parent.fd === undefined) {
        // Moved under the walk: what was left of each branch from here up is not read.
        for (const left of frames) if (left.next < left.children.length) unread(left.path, 'moved during the walk', left.children.length - left.next);
        break;
      }
    }
  } finally {
    for (const frame of frames) if (frame.fd !== undefined) closeSync(frame.fd);
  }
  return walk;
}

/** A child's ".." when it is still `parent` (same device and inode), else undefined. */
function reopenParent(child: number, parent: Frame): number | undefined {
  let up: number;
  try {
    up = openSync(inside(child, '..'), DIRECTORY);
  } catch {
    return undefined;
  }
  const stats = fstatSync(up);
  if (stats.dev === parent.dev && stats.ino === parent.ino) return up;
  closeSync(up);
  return undefined;
}
