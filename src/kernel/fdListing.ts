import { closeSync, opendirSync, statSync, type Dir } from 'node:fs';
import { DIRECTORY_HANDLE, openInside } from './files/openInside.js';
import { heldDirectoryPath } from './livePaths.js';
import { classifyReadError, malformedFile, type ReadFailure } from './readFailure.js';
import type { ProcReader } from './procReader.js';
import { deviceFromStat, type DeviceNumber } from './procfs/deviceNumber.js';

/** The most descriptors of one process listed: far above a usual process, bounded for one with a million open. */
export const MAX_DESCRIPTORS = 100_000;

export interface FdListing {
  ok: true;
  /** The descriptors' numbers, as listed. */
  fds: number[];
  /** The listing stopped at MAX_DESCRIPTORS. */
  cut: boolean;
}

/**
 * The descriptors of PID (its fd/ directory) under the reader's root: on a
 * live procfs listed at once; in a captured tree reached without leaving it
 * (openInside: no link followed on the way), then listed through that very
 * directory. Read an entry at a time, bounded.
 */
export function listDescriptors(reader: ProcReader, pid: number): FdListing | ReadFailure {
  const relative = `${pid}/fd`;
  let path = reader.path(relative);
  let handle: number | undefined;
  if (!reader.bindsProcesses) {
    const opened = openInside(reader.root, relative, DIRECTORY_HANDLE);
    if (!opened.ok) return 'refused' in opened ? malformedFile(path, opened.refused) : classifyReadError(opened.error, path);
    handle = opened.fd;
    path = heldDirectoryPath(handle);
  }
  let dir: Dir | undefined;
  try {
    dir = opendirSync(path, { bufferSize: 256 });
    const fds: number[] = [];
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      if (!/^\d+$/.test(entry.name)) continue;
      if (fds.length === MAX_DESCRIPTORS) return { ok: true, fds, cut: true };
      fds.push(Number(entry.name));
    }
    return { ok: true, fds, cut: false };
  } catch (error) {
    return classifyReadError(error, reader.path(relative));
  } finally {
    dir?.closeSync();
    if (handle !== undefined) closeSync(handle);
  }
}

/** What a stat through a descriptor's link says of the object it holds, where that is a regular file. */
export interface DescriptorStat {
  device: DeviceNumber;
  inode: number;
  /** st_blocks × 512. */
  bytes: number;
  /** st_size. */
  size: number;
}

/**
 * A stat of the object PID's descriptor FD holds (the kernel's fd link is
 * followed to the object itself, even when it is unlinked or a memfd), on a
 * live procfs only: in a captured tree the link is a plain symbolic link whose
 * text names a path outside the tree, never followed. Undefined for anything
 * but a regular file (a socket, /dev/null) or a descriptor closed since.
 */
export function statDescriptor(reader: ProcReader, pid: number, fd: number): DescriptorStat | undefined {
  if (!reader.bindsProcesses) return undefined;
  try {
    const stat = statSync(reader.path(`${pid}/fd/${fd}`), { bigint: true });
    if (!stat.isFile()) return undefined;
    return { device: deviceFromStat(stat.dev), inode: Number(stat.ino), bytes: Number(stat.blocks) * 512, size: Number(stat.size) };
  } catch {
    return undefined;
  }
}
