import { emptyCounters, takeCounterLine, type MemoryCounters } from './memoryCounters.js';
import { parsePermissions, type Permissions } from './permissions.js';
import { parsed, parseFailure, type Parsed } from './parseResult.js';

/** What a mapping is backed by, read from the path column of its header line. */
export type MappingBacking =
  | { kind: 'anonymous' }
  /** A bracketed kernel name: [heap], [stack], [vdso], [vvar], [anon:NAME] (prctl), ... */
  | { kind: 'pseudo'; name: string }
  /** A path; memfd, SysV shm and `/dev/zero (deleted)` shared mappings appear as paths too. */
  | { kind: 'path'; path: string; deleted: boolean };

/** One block of /proc/PID/smaps. */
export interface SmapsMapping {
  /** Addresses stay hex text: they exceed Number's exact range on 64-bit kernels. */
  start: string;
  end: string;
  permissions: Permissions;
  offset: string;
  device: string;
  inode: number;
  backing: MappingBacking;
  /** Virtual size in bytes (the `Size:` line). */
  size: number;
  counters: MemoryCounters;
  vmFlags: string[];
}

// start-end perms offset dev inode [path]; the path may contain spaces.
const HEADER = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) ([0-9a-f]+:[0-9a-f]+) (\d+)(?: +(.*))?$/;
const DELETED = ' (deleted)';

export function parseBacking(pathColumn: string | undefined): MappingBacking {
  if (pathColumn === undefined || pathColumn === '') return { kind: 'anonymous' };
  if (pathColumn.startsWith('[') && pathColumn.endsWith(']')) return { kind: 'pseudo', name: pathColumn };
  if (pathColumn.endsWith(DELETED)) return { kind: 'path', path: pathColumn.slice(0, -DELETED.length), deleted: true };
  return { kind: 'path', path: pathColumn, deleted: false };
}

export function isMappingHeader(line: string): boolean {
  return HEADER.test(line);
}

/**
 * Parses /proc/PID/smaps. A kernel thread's or zombie's smaps is empty, which is
 * zero mappings, not an error.
 */
export function parseSmaps(text: string): Parsed<SmapsMapping[]> {
  const mappings: SmapsMapping[] = [];
  const lines = text.split('\n');
  let current: SmapsMapping | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const header = HEADER.exec(line);
    if (header !== null) {
      const permissions = parsePermissions(header[3]);
      if (permissions === undefined) return parseFailure('smaps', i + 1, line, 'bad permissions');
      current = {
        start: header[1],
        end: header[2],
        permissions,
        offset: header[4],
        device: header[5],
        inode: Number(header[6]),
        backing: parseBacking(header[7]),
        size: 0,
        counters: emptyCounters(),
        vmFlags: [],
      };
      mappings.push(current);
      continue;
    }
    if (current === undefined) return parseFailure('smaps', i + 1, line, 'counter before any mapping header');
    if (line.startsWith('VmFlags:')) {
      current.vmFlags = line.slice('VmFlags:'.length).trim().split(/\s+/).filter((f) => f !== '');
      continue;
    }
    if (line.startsWith('Size:')) {
      const reason = takeCounterLine(line, current.counters);
      if (reason !== undefined) return parseFailure('smaps', i + 1, line, reason);
      current.size = current.counters.other.Size ?? 0;
      delete current.counters.other.Size;
      continue;
    }
    const reason = takeCounterLine(line, current.counters);
    if (reason !== undefined) return parseFailure('smaps', i + 1, line, reason);
  }
  return parsed(mappings);
}
