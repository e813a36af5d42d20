/**
 * An HTTP/1.x request head (request line and header fields), parsed from the
 * bytes a connection has received so far (pure: bytes in, a record out).
 *
 * serve reads requests itself rather than through node:http, because node:http
 * parses every pipelined request in a chunk it has read, and keeps each one's
 * request and response objects until that one is answered: a client that sends
 * thousands and reads nothing grows the server without bound (issue 12).
 * Parsing one head at a time lets the connection read the next only once the
 * last answer has drained. serve takes no request bodies, so a head is all
 * there is to parse.
 */

export interface RequestHead {
  method: string;
  /** The path of the target, without the query; an absolute-form target (`http://host/metrics`) gives its path. */
  path: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minorVersion: number;
  /** Field names in lower case; a repeated field's values joined by ", " (RFC 9110, 5.3). */
  headers: Map<string, string>;
}

export type HeadParse =
  | { kind: 'incomplete' }
  | { kind: 'request'; head: RequestHead; /** bytes of the buffer the head took */ length: number }
  | { kind: 'bad'; status: 400 | 431 | 505; reason: string };

/** Node's own limit is 16 KiB; a scrape's head is under 300 bytes. */
export const MAX_HEAD_BYTES = 8192;
const MAX_FIELDS = 64;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([\x21-\x7e]+) HTTP\/(\d)\.(\d)$/;
// eslint-disable-next-line no-control-regex
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Where the head that starts at `start` ends (its empty line: CRLF, or a bare LF as RFC 9112 allows), if within the limit. */
function headEnd(buffer: Buffer, start: number): { at: number; length: number } | undefined {
  const bare = buffer.indexOf('\n\n', start, 'latin1');
  const crlf = buffer.indexOf('\n\r\n', start, 'latin1');
  const first = bare === -1 ? crlf : crlf === -1 ? bare : Math.min(bare, crlf);
  if (first === -1) return undefined;
  const length = first + (first === crlf ? 3 : 2) - start;
  if (length > MAX_HEAD_BYTES) return undefined;
  // The line before the empty one ends at its CR, if it has one.
  return { at: (first > start && buffer[first - 1] === 0x0d ? first - 1 : first) - start, length };
}

function targetPath(target: string): string | undefined {
  if (target.startsWith('/')) return target.split('?')[0];
  if (target === '*') return '*';
  // Absolute form, which a server must accept (RFC 9112, 3.2.2): the path is what counts.
  const absolute = /^https?:\/\/[^/?#]*([^#]*)/i.exec(target);
  if (absolute !== null) return absolute[1].split('?')[0] || '/';
  return undefined;
}

/**
 * Parses the request head at the start of `buffer` (after any empty lines,
 * which RFC 9112, 2.2 says to skip). `incomplete` until its empty line has
 * arrived; `bad` with the status to answer before closing the connection.
 */
export function parseRequestHead(buffer: Buffer): HeadParse {
  let start = 0;
  while (start < buffer.length && (buffer[start] === 0x0d || buffer[start] === 0x0a)) start++;
  const end = headEnd(buffer, start);
  if (end === undefined) {
    return buffer.length - start > MAX_HEAD_BYTES ? { kind: 'bad', status: 431, reason: 'request head too large' } : { kind: 'incomplete' };
  }
  // latin1: one character per byte, so no byte is lost or merged.
  const lines = buffer.toString('latin1', start, start + end.at).split(/\r?\n/);
  const requestLine = REQUEST_LINE.exec(lines[0]);
  if (requestLine === null) return { kind: 'bad', status: 400, reason: 'malformed request line' };
  const [, method, target, major, minor] = requestLine;
  if (major !== '1') return { kind: 'bad', status: 505, reason: 'HTTP/1.x only' };
  const path = targetPath(target);
  if (path === undefined) return { kind: 'bad', status: 400, reason: 'malformed request target' };
  if (lines.length - 1 > MAX_FIELDS) return { kind: 'bad', status: 431, reason: 'too many header fields' };
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    // No space before the colon and no obsolete line folding (RFC 9112, 5.1 and 5.2): both are refused.
    const name = colon > 0 ? line.slice(0, colon) : '';
    const value = line.slice(colon + 1).replace(/^[\t ]+|[\t ]+$/g, '');
    if (!TOKEN.test(name) || !FIELD_VALUE.test(value)) return { kind: 'bad', status: 400, reason: 'malformed header field' };
    const key = name.toLowerCase();
    const earlier = headers.get(key);
    headers.set(key, earlier === undefined ? value : `${earlier}, ${value}`);
  }
  return { kind: 'request', head: { method, path, minorVersion: Number(minor), headers }, length: start + end.length };
}
