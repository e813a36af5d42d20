import { findHierarchy } from './findHierarchy.js';
import { readLiveMountinfo } from '../kernel/liveMountinfo.js';
import type { CgroupReader } from '../kernel/cgroupReader.js';
import type { KillCounting } from '../kernel/cgroupfs/cgroupMounts.js';

export interface LiveHierarchy {
  reader: CgroupReader;
  version: 1 | 2;
  /** How its OOM kill counters count (MemoryHierarchyMount.kills). */
  kills: KillCounting;
}

/** The mounted memory hierarchy (findHierarchy on /proc/self/mountinfo), or undefined where there is none. */
export function findLiveHierarchy(): LiveHierarchy | undefined {
  const mountinfo = readLiveMountinfo();
  if (mountinfo === undefined) return undefined;
  const found = findHierarchy(mountinfo, undefined);
  return found.ok ? { reader: found.reader, version: found.mount.version, kills: found.mount.kills } : undefined;
}
