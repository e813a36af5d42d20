import { counterValueInPlace, emptyCounters, KNOWN_FIELDS, takeCounterLine, type MemoryCounters } from './memoryCounters.js';
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

// start-end perms offset dev inode [path]; the path may contain spaces, and any byte but the newline the kernel
// escapes (\012): `s`, so that a carriage return or U+2028 in a file's name is part of it, not the line's end.
const HEADER = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) ([0-9a-f]+:[0-9a-f]+) (\d+)(?: +(.*))?$/s;
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

type CounterField = keyof Omit<MemoryCounters, 'other'>;
type Setter = (mapping: SmapsMapping, value: number) => void;

/** A plain property write for each field (a keyed write with a variable name is several times dearer, 1.6 million times). */
function setterFor(field: CounterField): Setter {
  switch (field) {
    case 'rss': return (mapping, value) => { mapping.counters.rss = value; };
    case 'pss': return (mapping, value) => { mapping.counters.pss = value; };
    case 'sharedClean': return (mapping, value) => { mapping.counters.sharedClean = value; };
    case 'sharedDirty': return (mapping, value) => { mapping.counters.sharedDirty = value; };
    case 'privateClean': return (mapping, value) => { mapping.counters.privateClean = value; };
    case 'privateDirty': return (mapping, value) => { mapping.counters.privateDirty = value; };
    case 'swap': return (mapping, value) => { mapping.counters.swap = value; };
    case 'swapPss': return (mapping, value) => { mapping.counters.swapPss = value; };
    default: return (mapping, value) => { mapping.counters[field] = value; };
  }
}

/** A key as read in place: a counter footprint names (`set`), or another the kernel printed (kept in `other` under `key`). */
interface KeyEntry {
  key: string;
  set?: Setter;
}

/** A cheap tag of the key at text[start, colon), from its length, first and last characters: equal keys have equal tags (keyIs decides). */
function keyTag(text: string, start: number, colon: number): number {
  return (((colon - start) & 0xff) << 16) | ((text.charCodeAt(start) & 0xff) << 8) | (text.charCodeAt(colon - 1) & 0xff);
}

function keyIs(entry: KeyEntry, text: string, start: number, colon: number): boolean {
  const { key } = entry;
  if (key.length !== colon - start) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/** The kernel's key ("Private_Dirty") at text[start, colon), without making a string of it where it was seen before. */
class KeyTable {
  private readonly byTag = new Map<number, KeyEntry[]>();
  private remembered = 0;

  constructor(known: readonly KeyEntry[]) {
    for (const entry of known) this.add(entry);
  }

  private add(entry: KeyEntry): void {
    const tag = keyTag(entry.key, 0, entry.key.length);
    const list = this.byTag.get(tag);
    if (list === undefined) this.byTag.set(tag, [entry]);
    else list.push(entry);
  }

  find(text: string, start: number, colon: number): KeyEntry {
    const list = this.byTag.get(keyTag(text, start, colon));
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) if (keyIs(list[i], text, start, colon)) return list[i];
    }
    const entry = { key: text.slice(start, colon) };
    // A made-up file with endless new keys does not fill the table: past a few dozen, each is taken as it comes.
    if (this.remembered < MAX_REMEMBERED_KEYS) {
      this.remembered++;
      this.add(entry);
    }
    return entry;
  }
}

/** The counters read in place (see SmapsParser): Size, and those MemoryCounters names (KNOWN_FIELDS). */
const IN_PLACE: KeyEntry[] = [
  { key: 'Size', set: (mapping, value) => { mapping.size = value; } },
  ...Object.entries(KNOWN_FIELDS).map(([key, field]) => ({ key, set: setterFor(field) })),
];

/** The kernel prints about 15 keys footprint does not name (KSM, THPeligible, ...). */
const MAX_REMEMBERED_KEYS = 64;

/** Parsed permissions, one object per text: a process with 64,000 mappings has a handful of them. */
const permissionsByText = new Map<string, Permissions>();

function permissionsOf(text: string): Permissions | undefined {
  let permissions = permissionsByText.get(text);
  if (permissions === undefined) {
    permissions = parsePermissions(text);
    if (permissions !== undefined) permissionsByText.set(text, Object.freeze(permissions) as Permissions);
  }
  return permissions;
}

/** The flags of a VmFlags line, one list per distinct line: mappings share them (a list is never changed). */
function flagsOf(cache: Map<string, string[]>, text: string): string[] {
  let flags = cache.get(text);
  if (flags === undefined) {
    flags = text.trim().split(/\s+/).filter((f) => f !== '');
    cache.set(text, flags);
  }
  return flags;
}

/**
 * Parses /proc/PID/smaps. A kernel thread's or zombie's smaps is empty, which is
 * zero mappings, not an error.
 */
export function parseSmaps(text: string): Parsed<SmapsMapping[]> {
  const parser = new SmapsParser();
  parser.push(text);
  return parser.finish();
}

/**
 * smaps parsed a piece at a time (each piece whole lines; the last may lack its
 * newline), for a process whose smaps is too large to hold as one text.
 *
 * A process may have 65,530 mappings (vm.max_map_count), 45 MB of text and
 * 1.6 million lines: each line is read in place, the kernel's known counters
 * without making a string of the line, parsed permissions and VmFlags lists
 * shared between mappings. Anything unusual (a line a captured tree made up)
 * takes the general path, which says why.
 */
export class SmapsParser {
  private readonly mappings: SmapsMapping[] = [];
  private readonly flagLists = new Map<string, string[]>();
  private readonly keys = new KeyTable(IN_PLACE);
  private current: SmapsMapping | undefined;
  private lineNumber = 0;
  private failure: Parsed<SmapsMapping[]> | undefined;
  /** How many mappings were read. */
  count = 0;

  /**
   * With `onMapping`, each mapping is handed over once it is complete and not
   * kept (finish() gives an empty list): a caller that sums them (show) then
   * holds one mapping at a time, not 65,530.
   */
  constructor(private readonly onMapping?: (mapping: SmapsMapping) => void) {}

  /** Takes the next piece; after a malformed line the rest is ignored and finish() says why. */
  push(text: string): void {
    if (this.failure === undefined) this.failure = this.parse(text);
  }

  finish(): Parsed<SmapsMapping[]> {
    if (this.failure !== undefined) return this.failure;
    if (this.onMapping !== undefined && this.current !== undefined) this.onMapping(this.current);
    this.current = undefined;
    return parsed(this.mappings);
  }

  private parse(text: string): Parsed<SmapsMapping[]> | undefined {
    let current = this.current;
    for (let start = 0; start < text.length;) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const lineNumber = ++this.lineNumber;
      const lineStart = start;
      start = end + 1;
      if (end === lineStart) continue;
      const first = text.charCodeAt(lineStart);
      // A header starts with a hex digit; a counter's key with a capital letter.
      if ((first >= 48 && first <= 57) || (first >= 97 && first <= 102)) {
        const line = text.slice(lineStart, end);
        const header = HEADER.exec(line);
        if (header !== null) {
          const permissions = permissionsOf(header[3]);
          if (permissions === undefined) return parseFailure('smaps', lineNumber, line, 'bad permissions');
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
          if (this.onMapping === undefined) this.mappings.push(current);
          else if (this.current !== undefined) this.onMapping(this.current);
          this.current = current;
          this.count++;
          continue;
        }
      }
      if (current === undefined) return parseFailure('smaps', lineNumber, text.slice(lineStart, end), 'counter before any mapping header');
      const colon = text.indexOf(':', lineStart);
      if (colon > lineStart && colon < end) {
        if (colon === lineStart + 7 && text.startsWith('VmFlags', lineStart)) {
          current.vmFlags = flagsOf(this.flagLists, text.slice(colon + 1, end));
          continue;
        }
        const value = counterValueInPlace(text, colon, end);
        if (value >= 0) {
          const entry = this.keys.find(text, lineStart, colon);
          if (entry.set !== undefined) entry.set(current, value);
          else current.counters.other[entry.key] = value;
          continue;
        }
      }
      const line = text.slice(lineStart, end);
      if (line.startsWith('Size:')) {
        const reason = takeCounterLine(line, current.counters);
        if (reason !== undefined) return parseFailure('smaps', lineNumber, line, reason);
        current.size = current.counters.other.Size ?? 0;
        delete current.counters.other.Size;
        continue;
      }
      const reason = takeCounterLine(line, current.counters);
      if (reason !== undefined) return parseFailure('smaps', lineNumber, line, reason);
    }
    return undefined;
  }
}
