import { parsed, parseFailure, type Parsed } from './parseResult.js';
import { kilobytesValue } from './memoryCounters.js';

/** The kB lines parseStatus keeps, by key. */
const KILOBYTE_FIELDS = { VmRSS: 'vmRss', RssAnon: 'rssAnon', RssFile: 'rssFile', RssShmem: 'rssShmem', VmSwap: 'vmSwap' } as const;
/** The largest UID: uid_t is 32 bits. */
const MAX_UID = 0xffffffff;

/** The fields of /proc/PID/status that footprint uses (world-readable, unlike smaps). */
export interface ProcessStatus {
  name: string;
  state: string;
  /** Real, effective, saved and filesystem UIDs. */
  uids: [number, number, number, number];
  /** Absent for kernel threads. Bytes. */
  vmRss?: number;
  /** Since Linux 4.5. Bytes. */
  rssAnon?: number;
  rssFile?: number;
  rssShmem?: number;
  vmSwap?: number;
  /** Since Linux 6.0: "1" for kernel threads. */
  kthread?: boolean;
}


/** Unescapes the Name: field, which the kernel prints with \n and \\ escaped. */
function unescapeName(value: string): string {
  return value.replace(/\\(n|\\)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** The value of a "Key:\tvalue" line: what follows the colon, leading tabs and spaces dropped. */
function valueAfter(line: string, colon: number): string {
  let start = colon + 1;
  for (;;) {
    const code = line.charCodeAt(start);
    if (code !== 9 && code !== 32) break;
    start++;
  }
  return line.slice(start);
}

/** The keys parseStatus reads: the other ~45 lines of status are only checked for their colon. */
const USED_KEYS = new Set(['Name', 'State', 'Uid', 'VmRSS', 'RssAnon', 'RssFile', 'RssShmem', 'VmSwap', 'Kthread']);
/** Their first letters (N, S, U, V, R, K): other lines are passed over without cutting out their key. */
const USED_INITIALS = new Set([...USED_KEYS].map((key) => key.charCodeAt(0)));

export function parseStatus(text: string): Parsed<ProcessStatus> {
  const status: Partial<ProcessStatus> = {};
  // Line by line without split(): cutting every line (and key) out was most of this parser's cost.
  let lineNumber = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNumber++;
    const lineStart = start;
    start = end + 1;
    if (end === lineStart) continue;
    const colon = text.indexOf(':', lineStart);
    if (colon <= lineStart || colon > end) return parseFailure('status', lineNumber, text.slice(lineStart, end), 'expected "Key: value"');
    if (!USED_INITIALS.has(text.charCodeAt(lineStart))) continue;
    const key = text.slice(lineStart, colon);
    if (!USED_KEYS.has(key)) continue;
    const line = text.slice(lineStart, end);
    const value = valueAfter(line, colon - lineStart);
    switch (key) {
      case 'Name': status.name = unescapeName(value); break;
      case 'State': status.state = value.charAt(0); break;
      case 'Uid': {
        const fields = value.split(/\s+/);
        const ids = fields.map(Number);
        if (ids.length !== 4 || !fields.every((field) => /^\d{1,10}$/.test(field)) || !ids.every((id) => id <= MAX_UID)) return parseFailure('status', lineNumber, line, 'bad Uid');
        status.uids = ids as [number, number, number, number];
        break;
      }
      case 'VmRSS':
      case 'RssAnon':
      case 'RssFile':
      case 'RssShmem':
      case 'VmSwap': {
        // A figure that is there but not a bounded "N kB" is malformed, not absent (an estimate from it would be zero).
        const bytes = kilobytesValue(value);
        if (bytes === undefined) return parseFailure('status', lineNumber, line, `bad ${key}`);
        status[KILOBYTE_FIELDS[key]] = bytes;
        break;
      }
      case 'Kthread': status.kthread = value === '1'; break;
      default: break;
    }
  }
  if (status.name === undefined || status.uids === undefined || status.state === undefined) {
    return parseFailure('status', text.split('\n').length, '', 'missing Name, State or Uid');
  }
  return parsed(status as ProcessStatus);
}

/**
 * The real UID alone (the first field of `Uid:`), which -u and --group user need
 * of every process: a search for one line rather than a parse of fifty.
 */
export function parseStatusRealUid(text: string): Parsed<number> {
  const at = text.startsWith('Uid:') ? 0 : text.indexOf('\nUid:') + 1;
  if (at === 0 && !text.startsWith('Uid:')) return parseFailure('status', 1, text.slice(0, text.indexOf('\n')), 'no Uid line');
  const end = text.indexOf('\n', at);
  const line = text.slice(at, end < 0 ? undefined : end);
  const match = /^Uid:\s+(\d{1,10})\s+\d{1,10}\s+\d{1,10}\s+\d{1,10}$/.exec(line);
  if (match === null || Number(match[1]) > MAX_UID) return parseFailure('status', text.slice(0, at).split('\n').length, line, 'bad Uid');
  return parsed(Number(match[1]));
}
