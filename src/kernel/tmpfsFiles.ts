import { lstatSync, opendirSync, statfsSync, type Dir } from 'node:fs';
import { deviceFromStat, type DeviceNumber } from './procfs/deviceNumber.js';

/** A regular file of a tmpfs mount, as lstat gave it (never followed). */
export interface TmpfsFileStat {
  device: DeviceNumber;
  inode: number;
  path: string;
  /** st_blocks × 512: its allocated pages. */
  bytes: number;
  /** st_size. */
  size: number;
  uid: number;
}

export interface TmpfsWalk {
  files: TmpfsFileStat[];
  /** Every directory was listed to its end, within the bounds: a file mapped from the mount and not here is no regular file. */
  complete: boolean;
  /** Entries looked at (files, directories, links, nodes). */
  entries: number;
}

export interface TmpfsWalkBounds {
  /** The most entries looked at in one mount: a tmpfs of a million files is cut, not followed to its end. */
  maxEntries: number;
  /** The deepest directory listed below the mount point. */
  maxDepth: number;
}

export const TMPFS_WALK_BOUNDS: TmpfsWalkBounds = { maxEntries: 200_000, maxDepth: 64 };

/**
 * The used bytes of a mounted file system, (f_blocks − f_bfree) × f_bsize;
 * undefined where statfs fails or the mount has no size (a tmpfs with size=0
 * reports no blocks).
 */
export function usedBytesOfMount(mountPoint: string): number | undefined {
  try {
    const stat = statfsSync(mountPoint);
    return stat.blocks > 0 ? (stat.blocks - stat.bfree) * stat.bsize : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The regular files of one tmpfs mount: a walk that never leaves the mount's
 * device (another mount below it is not its files), never follows a link
 * (lstat; a directory is listed only when lstat said directory on this
 * device), and stops at `bounds`. Directories are read an entry at a time
 * (opendir), so a directory of 100,000 names is never held as one list.
 * A directory that cannot be listed (another user's, without root) leaves
 * the walk incomplete.
 */
export function walkTmpfs(mountPoint: string, device: DeviceNumber, bounds: TmpfsWalkBounds = TMPFS_WALK_BOUNDS): TmpfsWalk {
  const files: TmpfsFileStat[] = [];
  const directories: { path: string; depth: number }[] = [{ path: mountPoint, depth: 0 }];
  let entries = 0;
  let complete = true;
  while (directories.length > 0) {
    const { path: directory, depth } = directories.pop()!;
    let dir: Dir;
    try {
      dir = opendirSync(directory, { bufferSize: 256 });
    } catch {
      complete = false;
      continue;
    }
    try {
      for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
        if (++entries > bounds.maxEntries) return { files, complete: false, entries: entries - 1 };
        const path = directory === '/' ? `/${entry.name}` : `${directory}/${entry.name}`;
        // Only what may be a file or a directory of ours is looked at: a link, a FIFO, a socket, a node is none.
        if (!entry.isFile() && !entry.isDirectory()) continue;
        let stat;
        try {
          stat = lstatSync(path, { bigint: true });
        } catch {
          continue;
        }
        if (deviceFromStat(stat.dev) !== device) continue;
        if (stat.isDirectory()) {
          if (depth < bounds.maxDepth) directories.push({ path, depth: depth + 1 });
          else complete = false;
        } else if (stat.isFile()) {
          files.push({ device, inode: Number(stat.ino), path, bytes: Number(stat.blocks) * 512, size: Number(stat.size), uid: Number(stat.uid) });
        }
      }
    } catch {
      complete = false;
    } finally {
      dir.closeSync();
    }
  }
  return { files, complete, entries };
}
