import { boundedCount } from './memoryCounters.js';
import { parsed, parseFailure, type Parsed } from './parseResult.js';

/** One System V shared memory segment, a line of /proc/sysvipc/shm (world-readable; ipc/shm.c, sysvipc_shm_proc_show). */
export interface SysvSegment {
  /** The key it was made with; 0 (IPC_PRIVATE) for a private one and for one marked for removal. */
  key: number;
  /** Its id: also the inode number its holders' maps show beside `/SYSV%08x (deleted)`. */
  shmid: number;
  /** Permission bits (the low nine of the mode). */
  permissions: number;
  /** IPC_RMID was asked while it was attached (SHM_DEST): it goes with its last detach. */
  markedForRemoval: boolean;
  /** Its size in bytes, as asked of shmget. */
  size: number;
  /** The PID that made it and the last that attached or detached (either may be gone or reused by now). */
  creatorPid: number;
  lastPid: number;
  /** How many attachments it has (a process that attached twice counts twice; 0: held by no process). */
  attached: number;
  owner: { uid: number; gid: number };
  creator: { uid: number; gid: number };
  /** Its resident and swapped bytes (columns since Linux 2.6.17); undefined on a kernel without them. */
  rss?: number;
  swap?: number;
}

/** The columns read, by the header's own names: their order is the kernel's, not assumed. */
const REQUIRED = ['key', 'shmid', 'perms', 'size', 'cpid', 'lpid', 'nattch', 'uid', 'gid', 'cuid', 'cgid'] as const;
const OPTIONAL = ['rss', 'swap'] as const;

/** SHM_DEST in the mode the kernel prints (include/uapi/linux/shm.h: 01000). */
const SHM_DEST = 0o1000;

/** A plain non-negative integer as printed; key is %10d and may be negative. */
function integerOf(text: string | undefined, signed: boolean): number | undefined {
  if (text === undefined) return undefined;
  const negative = signed && text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  if (!/^\d+$/.test(digits)) return undefined;
  const value = boundedCount(digits, 1);
  return value === undefined ? undefined : negative ? -value : value;
}

/**
 * Parses /proc/sysvipc/shm: a header line naming the columns, then one line per
 * segment. An empty list is no segment, not an error; a line that does not
 * have the header's columns is an error with its line number.
 */
export function parseSysvipcShm(text: string): Parsed<SysvSegment[]> {
  const lines = text.split('\n');
  const header = lines[0].trim().split(/\s+/);
  const column = new Map(header.map((name, index) => [name, index]));
  const missing = REQUIRED.find((name) => !column.has(name));
  if (missing !== undefined) return parseFailure('sysvipc/shm', 1, lines[0], `no ${missing} column`);
  const segments: SysvSegment[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const fields = line.trim().split(/\s+/);
    if (fields.length !== header.length) return parseFailure('sysvipc/shm', i + 1, line, `expected ${header.length} columns, found ${fields.length}`);
    const value = (name: string, signed = false): number | undefined => integerOf(fields[column.get(name)!], signed);
    const numbers: Record<string, number> = {};
    for (const name of REQUIRED) {
      if (name === 'perms') continue;
      const number = value(name, name === 'key');
      if (number === undefined) return parseFailure('sysvipc/shm', i + 1, line, `${name} is not a whole number`);
      numbers[name] = number;
    }
    const permsText = fields[column.get('perms')!];
    if (!/^[0-7]{1,7}$/.test(permsText)) return parseFailure('sysvipc/shm', i + 1, line, 'perms is not an octal mode');
    const mode = parseInt(permsText, 8);
    const segment: SysvSegment = {
      key: numbers.key,
      shmid: numbers.shmid,
      permissions: mode & 0o777,
      markedForRemoval: (mode & SHM_DEST) !== 0,
      size: numbers.size,
      creatorPid: numbers.cpid,
      lastPid: numbers.lpid,
      attached: numbers.nattch,
      owner: { uid: numbers.uid, gid: numbers.gid },
      creator: { uid: numbers.cuid, gid: numbers.cgid },
    };
    for (const name of OPTIONAL) {
      if (!column.has(name)) continue;
      const number = value(name);
      if (number === undefined) return parseFailure('sysvipc/shm', i + 1, line, `${name} is not a whole number`);
      segment[name] = number;
    }
    segments.push(segment);
  }
  return parsed(segments);
}

/** The name a segment's holders see in their maps: `/SYSV` and its key as eight hex digits (ipc/shm.c, newseg). */
export function sysvMappingName(key: number): string {
  return `/SYSV${(key >>> 0).toString(16).padStart(8, '0')}`;
}
