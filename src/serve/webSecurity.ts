import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import bcrypt from 'bcryptjs';
import { parseWebConfig, WebConfigError, type WebConfig } from './webConfig.js';
import { readRegularFile } from '../readRegularFile.js';

/**
 * What `serve --web-config FILE` adds to the server: TLS on every connection,
 * basic auth on every request, headers on every answer. This module (with
 * node:tls, yaml and bcryptjs) is loaded only when the option is given.
 */
export interface WebSecurity {
  wrap?: (raw: Socket) => Socket;
  authorize?: (authorization: string | undefined) => Promise<boolean>;
  headers: Record<string, string>;
  /** What it turned on, for the start-up line: "TLS, basic auth (2 users)". */
  summary: string;
}

/** A web config, a certificate or a key is a few KiB; past this, it is not one. */
const MAX_FILE_BYTES = 1 << 20;

/** A regular file whole (readRegularFile: a FIFO or a device refused before a read could block), worded for --web-config. */
function readBounded(path: string, what: string): string {
  const read = readRegularFile(path, MAX_FILE_BYTES);
  if (read.ok) return read.data.toString('utf8');
  if (read.kind === 'notRegular') throw new WebConfigError(`${what} ${path}: not a regular file`);
  if (read.kind === 'overCap') throw new WebConfigError(`${what} ${path}: over ${MAX_FILE_BYTES} bytes, not a web config, certificate or key`);
  throw new WebConfigError(`${what} ${path}: ${(read.error as NodeJS.ErrnoException).code ?? (read.error as Error).message}`);
}

function pem(source: { pem: string } | { file: string }, what: string): string {
  return 'pem' in source ? source.pem : readBounded(source.file, what);
}

/** Compared against when the user is unknown, so that an unknown user costs the same time as a wrong password. */
const UNKNOWN_USER_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8sA4nZ3Y1pQmLkq5c6s0oO6r0y2w9e';
const CACHED = 64;

/**
 * Basic auth against bcrypt hashes. bcrypt is slow on purpose (about 70 ms at
 * cost 10, in JavaScript on the main thread, yielding between rounds), so a
 * pair of credentials, once checked, is remembered by its SHA-256 (never in
 * the clear), as the exporters do: a scrape every 15 s pays for bcrypt once.
 */
function basicAuth(users: Map<string, string>): (authorization: string | undefined) => Promise<boolean> {
  const known = new Map<string, boolean>();
  // At the cost of the users' own hashes.
  const unknownUserHash = UNKNOWN_USER_HASH.replace('$10$', users.values().next().value!.slice(3, 7));
  return async (authorization) => {
    const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization ?? '');
    if (match === null) return false;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const key = createHash('sha256').update(user).update('\0').update(password).digest('base64');
    const remembered = known.get(key);
    if (remembered !== undefined) return remembered;
    const hash = users.get(user);
    const ok = (await bcrypt.compare(password, hash ?? unknownUserHash)) && hash !== undefined;
    // Bounded: the oldest goes first, so guessing many passwords cannot grow it.
    if (known.size >= CACHED) known.delete(known.keys().next().value!);
    known.set(key, ok);
    return ok;
  };
}

function tlsWrap(tls: NonNullable<WebConfig['tls']>): (raw: Socket) => Socket {
  const cert = pem(tls.cert, 'tls_server_config.cert_file');
  const key = pem(tls.key, 'tls_server_config.key_file');
  let secureContext;
  try {
    secureContext = createSecureContext({ cert, key, minVersion: tls.minVersion, maxVersion: tls.maxVersion, honorCipherOrder: tls.honorCipherOrder });
  } catch (error) {
    throw new WebConfigError(`tls_server_config: the certificate and key do not load: ${(error as Error).message.split('\n')[0]}`);
  }
  return (raw) => new TLSSocket(raw, { isServer: true, secureContext });
}

/** Loads FILE; throws WebConfigError with one line (the file's content is never quoted, it may hold secrets). */
export function loadWebSecurity(file: string): WebSecurity {
  const path = resolve(file);
  const config = parseWebConfig(readBounded(path, 'web config'), dirname(path));
  const parts = [];
  const wrap = config.tls === undefined ? undefined : tlsWrap(config.tls);
  if (wrap !== undefined) parts.push(`TLS (${config.tls!.minVersion} to ${config.tls!.maxVersion})`);
  const authorize = config.users.size === 0 ? undefined : basicAuth(config.users);
  if (authorize !== undefined) parts.push(`basic auth (${config.users.size} user${config.users.size === 1 ? '' : 's'})`);
  return { wrap, authorize, headers: config.headers, summary: parts.length === 0 ? 'neither TLS nor basic auth' : parts.join(', ') };
}
