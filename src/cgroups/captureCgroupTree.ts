import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readMountinfoFields } from '../kernel/procfs/mountinfo.js';
import { CgroupReader, type CgroupRecorder } from '../kernel/cgroupReader.js';
import type { HierarchyFound } from './findHierarchy.js';
import { detectVersion, readCgroupTree } from './readCgroupTree.js';
import type { CapturedFileWriter } from '../scan/captureProcTree.js';

export interface CgroupCapture {
  version: 1 | 2;
  cgroups: number;
  /** Cgroups left unread past the walk's bound. */
  leftOut: number;
}

/** The lines of a mountinfo that mount a cgroup hierarchy (v1 or v2): where a captured tree's hierarchy and its top come from. */
export function cgroupMountLines(mountinfo: string): string {
  const lines = mountinfo.split('\n').filter((line) => line !== '' && readMountinfoFields(line).some((entry) => entry.fsType === 'cgroup' || entry.fsType === 'cgroup2'));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Copies exactly the cgroup files `footprint cgroups` and the report's cgroup
 * columns read into `target` (DIR/cgroup), by recording every read of a real
 * walk of the memory hierarchy, as captureProcTree does for /proc: each
 * cgroup's memory files (v2 memory.current, stat, max, high, low, min, peak,
 * events; v1 memory.stat, usage_in_bytes, kmem.usage_in_bytes, limit_in_bytes,
 * soft_limit_in_bytes, max_usage_in_bytes, oom_control) and cgroup.procs, plus
 * what tells the version at the top. Each read is bounded (CgroupReader: 1 MiB,
 * regular files only); a file the kernel lacks or denies is simply not there,
 * as offline it then reads as unknown. Each file is written by `writeFile`.
 */
export function captureCgroupTree(found: Extract<HierarchyFound, { ok: true }>, target: string, writeFile: CapturedFileWriter): CgroupCapture {
  const recorder: CgroupRecorder = (relative, text) => {
    const path = relative === '' ? target : join(target, relative);
    if (text === undefined) {
      mkdirSync(path, { recursive: true });
      return;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFile(path, text);
  };
  const reader = new CgroupReader(found.mount.mountPoint, recorder);
  mkdirSync(target, { recursive: true });
  detectVersion(reader);
  const tree = readCgroupTree(reader, { version: found.mount.version });
  return { version: found.mount.version, cgroups: tree.cgroups.length, leftOut: tree.leftOut };
}
