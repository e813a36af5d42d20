import { counterValueInPlace, emptyCounters, takeCounterLine } from './memoryCounters.js';
import { parsePermissions, type Permissions } from './permissions.js';
import { parsed, parseFailure, type Parsed } from './parseResult.js';
import { parseBacking, type MappingBacking, type SmapsMapping } from './smaps.js';

/**
 * What `footprint files` sums of one smaps mapping: what backs it, its
 * permissions, and the six counters its figures come from (in bytes). The rest
 * of the block (Size, Shared_*, Referenced, KSM, VmFlags, ...) is not kept.
 */
export interface MappingSums {
  permissions: Permissions;
  backing: MappingBacking;
  rss: number;
  /** Exactly the `Pss:` line (never Pss_Dirty or the other parts of it). */
  pss: number;
  privateClean: number;
  privateDirty: number;
  privateHugetlb: number;
  swap: number;
  /** Since Linux 4.3; undefined where the kernel has no SwapPss line. */
  swapPss: number | undefined;
}

/** The same figures of a mapping the general parser (smaps.ts) read. */
export function sumsOfMapping(mapping: SmapsMapping): MappingSums {
  const { counters } = mapping;
  return {
    permissions: mapping.permissions, backing: mapping.backing, rss: counters.rss, pss: counters.pss,
    privateClean: counters.privateClean, privateDirty: counters.privateDirty, privateHugetlb: counters.privateHugetlb,
    swap: counters.swap, swapPss: counters.swapPss,
  };
}

/**
 * A whole header line, "start-end perms offset dev inode [path]", matched where it
 * stands in the text (sticky, no captures: nothing is allocated). Its fields are
 * then found by their spaces. As smaps.ts' HEADER, but the permissions checked here.
 */
const HEADER = /[0-9a-f]+-[0-9a-f]+ [r-][w-][x-][ps] [0-9a-f]+ [0-9a-f]+:[0-9a-f]+ \d+(?: [^\n]*)?(?:\n|$)/y;

/** The sixteen permission columns, one shared object each, by PERMISSION bits (r 8, w 4, x 2, s 1). */
const PERMISSIONS: readonly Permissions[] = Array.from({ length: 16 }, (_, bits) =>
  Object.freeze(parsePermissions(`${bits & 8 ? 'r' : '-'}${bits & 4 ? 'w' : '-'}${bits & 2 ? 'x' : '-'}${bits & 1 ? 's' : 'p'}`)!));

const ANONYMOUS: MappingBacking = Object.freeze({ kind: 'anonymous' });

const CHAR_SPACE = 32;

/** Which of the counters MappingSums keeps the key text[start, colon) is; NONE for the rest. */
const NONE = 0, RSS = 1, PSS = 2, PRIVATE_CLEAN = 3, PRIVATE_DIRTY = 4, PRIVATE_HUGETLB = 5, SWAP = 6, SWAP_PSS = 7;

/** Where each kept counter's colon stands: its key's length. */
const COLON_AT = [0, 3, 3, 13, 13, 15, 4, 7];

/**
 * Which of the kept counters the line at `start` is, from its first letters,
 * without looking for its colon: NONE for the rest (Size, Shared_*, Pss_Dirty,
 * Referenced, VmFlags, ...), which is most lines.
 */
function keptKey(text: string, start: number): number {
  switch (text.charCodeAt(start)) {
    case 82: // R
      return text.startsWith('Rss:', start) ? RSS : NONE;
    case 80: // P
      if (text.charCodeAt(start + 1) === 115) return text.startsWith('Pss:', start) ? PSS : NONE;
      if (!text.startsWith('Private_', start)) return NONE;
      if (text.startsWith('Clean:', start + 8)) return PRIVATE_CLEAN;
      if (text.startsWith('Dirty:', start + 8)) return PRIVATE_DIRTY;
      return text.startsWith('Hugetlb:', start + 8) ? PRIVATE_HUGETLB : NONE;
    case 83: // S
      if (text.charCodeAt(start + 1) !== 119) return NONE; // Swap, SwapPss
      if (text.startsWith('Swap:', start)) return SWAP;
      return text.startsWith('SwapPss:', start) ? SWAP_PSS : NONE;
    default:
      return NONE;
  }
}

/**
 * smaps read for `footprint files`' sums only, a piece at a time (each piece
 * whole lines; the last may lack its newline), each mapping handed over once
 * complete. The general parser (smaps.ts) keeps every field of every mapping:
 * on a machine's smaps, strings and records it makes and `files` throws away
 * cost several times the reading of the numbers. Here a line is read where it
 * stands: a header is matched in place and its path sliced only when it differs
 * from the previous mapping's (a library's mappings follow one another, and
 * share one backing record); a counter's key is told by its first letters,
 * and only the seven kept are read (a population of 300 Pythons prints 40 MB
 * of smaps: about 80 ns a line is the whole budget). The sums are the general parser's,
 * to the byte (test/kernel/procfs/smapsSums.test.ts). A malformed header, a
 * kept counter's malformed value, a line that starts with neither a hex digit
 * nor a capital letter, or a counter before any header is a ParseError with its
 * line; the other lines are not read past their first letters, so not checked.
 */
export class SmapsSumsParser {
  private current: MappingSums | undefined;
  private lineNumber = 0;
  private failure: Parsed<number> | undefined;
  /** The previous path column and its backing, reused while mappings name the same file. */
  private lastColumn = '';
  private lastBacking: MappingBacking = ANONYMOUS;
  /** How many mappings were read. */
  count = 0;

  constructor(private readonly onMapping: (mapping: MappingSums) => void) {}

  /** Takes the next piece; after a malformed line the rest is ignored and finish() says why. */
  push(text: string): void {
    if (this.failure === undefined) this.failure = this.parse(text);
  }

  /** Hands over the last mapping; the number of mappings read, or the first line that could not be. */
  finish(): Parsed<number> {
    if (this.failure !== undefined) return this.failure;
    if (this.current !== undefined) this.onMapping(this.current);
    this.current = undefined;
    return parsed(this.count);
  }

  private parse(text: string): Parsed<number> | undefined {
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
        HEADER.lastIndex = lineStart;
        if (HEADER.test(text)) {
          if (this.current !== undefined) this.onMapping(this.current);
          this.current = this.header(text, lineStart, end);
          this.count++;
          continue;
        }
        // No key starts so: a header the kernel would not print (bad permissions, a missing field).
        return parseFailure('smaps', lineNumber, text.slice(lineStart, end), 'malformed mapping header');
      }
      const current = this.current;
      if (current === undefined) return parseFailure('smaps', lineNumber, text.slice(lineStart, end), 'counter before any mapping header');
      const key = keptKey(text, lineStart);
      if (key === NONE) {
        // Every key the kernel prints starts with a capital letter; the rest of such a line is not read.
        if (first < 65 || first > 90) return parseFailure('smaps', lineNumber, text.slice(lineStart, end), 'expected "Key: value"');
        continue;
      }
      let value = counterValueInPlace(text, lineStart + COLON_AT[key], end);
      if (value < 0) {
        // The general path: the same values as smaps.ts accepts (spaces around, no unit), and its reasons.
        const line = text.slice(lineStart, end);
        const counters = emptyCounters();
        const reason = takeCounterLine(line, counters);
        if (reason !== undefined) return parseFailure('smaps', lineNumber, line, reason);
        value = valueOfKey(counters, key);
      }
      switch (key) {
        case RSS: current.rss = value; break;
        case PSS: current.pss = value; break;
        case PRIVATE_CLEAN: current.privateClean = value; break;
        case PRIVATE_DIRTY: current.privateDirty = value; break;
        case PRIVATE_HUGETLB: current.privateHugetlb = value; break;
        case SWAP: current.swap = value; break;
        case SWAP_PSS: current.swapPss = value; break;
      }
    }
    return undefined;
  }

  /** A header that HEADER matched at text[lineStart, end): its permissions and backing. */
  private header(text: string, lineStart: number, end: number): MappingSums {
    const perms = text.indexOf(' ', lineStart) + 1;
    const bits = (text.charCodeAt(perms) === 114 ? 8 : 0) | (text.charCodeAt(perms + 1) === 119 ? 4 : 0)
      | (text.charCodeAt(perms + 2) === 120 ? 2 : 0) | (text.charCodeAt(perms + 3) === 115 ? 1 : 0);
    // Past the offset, the device and the inode: the path column, after its spaces.
    let column = text.indexOf(' ', text.indexOf(' ', perms + 5) + 1) + 1;
    column = text.indexOf(' ', column);
    if (column < 0 || column > end) column = end;
    while (column < end && text.charCodeAt(column) === CHAR_SPACE) column++;
    return {
      permissions: PERMISSIONS[bits], backing: this.backingOf(text, column, end),
      rss: 0, pss: 0, privateClean: 0, privateDirty: 0, privateHugetlb: 0, swap: 0, swapPss: undefined,
    };
  }

  private backingOf(text: string, column: number, end: number): MappingBacking {
    if (column === end) return ANONYMOUS;
    const last = this.lastColumn;
    if (last.length === end - column && text.startsWith(last, column)) return this.lastBacking;
    this.lastColumn = text.slice(column, end);
    this.lastBacking = Object.freeze(parseBacking(this.lastColumn));
    return this.lastBacking;
  }
}

function valueOfKey(counters: ReturnType<typeof emptyCounters>, key: number): number {
  switch (key) {
    case RSS: return counters.rss;
    case PSS: return counters.pss;
    case PRIVATE_CLEAN: return counters.privateClean;
    case PRIVATE_DIRTY: return counters.privateDirty;
    case PRIVATE_HUGETLB: return counters.privateHugetlb;
    case SWAP: return counters.swap;
    default: return counters.swapPss ?? 0;
  }
}

/** A whole smaps text's mappings, as SmapsSumsParser reads them. */
export function parseSmapsSums(text: string): Parsed<MappingSums[]> {
  const mappings: MappingSums[] = [];
  const parser = new SmapsSumsParser((mapping) => mappings.push(mapping));
  parser.push(text);
  const finished = parser.finish();
  return finished.ok ? parsed(mappings) : finished;
}
