import { closeSync, constants, fstatSync, openSync, readdirSync } from 'node:fs';
import { fileErrorCode } from '../store/fileErrors.js';
import { readRegularFile } from '../readRegularFile.js';
import { bytesToText } from './byteText.js';

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
  /** Its child directories' names, as the kernel gave their bytes. */
  children: Buffer[];
  next: number;
  /** Who it is, to know the same directory again when it is opened back from a child's "..". */
  dev: number;
  ino: number;
}

/**
 * Walks a cgroup hierarchy from `root`, parent before child, calling `visit`
 * for each cgroup. Every directory is opened from its parent's open
 * descriptor (openat through /proc/self/fd, O_NOFOLLOW | O_DIRECTORY): no path
 * is ever longer than one name, so a cgroup 4,096 bytes or 64 levels down is
 * read like any other, a name that is not UTF-8 is opened by its bytes, and no
 * link is followed out of the tree (nor is a file that is a link read). At most two directories are open at once:
 * going back up, the parent is opened again as the child's "..", and taken
 * only if it is the same directory (device and inode) — a tree renamed under
 * the walk ends that branch, counted as unread. A cgroup that vanished between
 * its listing and its visit is simply gone, not unread.
 */
export function walkCgroupDirs(root: string, visit: (cgroup: CgroupDir) => void): CgroupWalk {
  const walk: CgroupWalk = { visited: 0, unread: 0, unreadReasons: [] };
  const unread = (path: string, reason: string, count = 1) => {
    walk.unread += count;
    if (walk.unreadReasons.length < MAX_UNREAD_LISTED) walk.unreadReasons.push(`${path}: ${reason}`);
  };
  let fd: number;
  try {
    fd = openSync(root, DIRECTORY);
  } catch (error) {
    unread('/', fileErrorCode(error) ?? 'an error');
    return walk;
  }
  const holder = { bytes: Buffer.allocUnsafe(16 * 1024) };
  const frames: Frame[] = [];
  /** Visits the cgroup open at `fd` and pushes its frame; false where it could not be listed. */
  const enter = (path: string): void => {
    const stats = fstatSync(fd);
    walk.visited++;
    visit({
      path,
      read: (name) => {
        // Opened here without following a link (a captured tree's file could be one), then read bounded through its descriptor.
        let file: number;
        try {
          file = openSync(inside(fd, name), FILE);
        } catch {
          return undefined;
        }
        try {
          const read = readRegularFile(`/proc/self/fd/${file}`, MAX_FILE_BYTES, holder);
          return read.ok ? read.data.toString('utf8') : undefined;
        } finally {
          closeSync(file);
        }
      },
    });
    let children: Buffer[] = [];
    try {
      children = readdirSync(inside(fd, ''), { withFileTypes: true, encoding: 'buffer' }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    } catch (error) {
      const code = fileErrorCode(error);
      if (code !== 'ENOENT') unread(path, `its children: ${code ?? 'an error'}`);
    }
    frames.push({ path, children, next: 0, dev: stats.dev, ino: stats.ino });
  };
  try {
    enter('/');
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
          child = openSync(inside(fd, name), DIRECTORY);
        } catch (error) {
          const code = fileErrorCode(error);
          if (code !== 'ENOENT') unread(path, code ?? 'an error');
          continue;
        }
        closeSync(fd);
        fd = child;
        enter(path);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent === undefined) break;
      let up: number | undefined;
      try {
        up = openSync(inside(fd, '..'), DIRECTORY);
        const stats = fstatSync(up);
        if (stats.dev !== parent.dev || stats.ino !== parent.ino) {
          closeSync(up);
          up = undefined;
        }
      } catch {
        up = undefined;
      }
      if (up === undefined) {
        // Moved under the walk: what was left of each branch from here up is not read.
        for (const left of frames) if (left.next < left.children.length) unread(left.path, 'moved during the walk', left.children.length - left.next);
        break;
      }
      closeSync(fd);
      fd = up;
    }
  } finally {
    closeSync(fd);
  }
  return walk;
}
