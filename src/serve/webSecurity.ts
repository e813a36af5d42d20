import { dirname, resolve } from 'node:path';
import type { Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import { BcryptPool } from './bcryptPool.js';
import { FailurePenalties } from './failurePenalties.js';
import type { Authorize } from './metricsServer.js';
import { VerifiedCredentials } from './verifiedCredentials.js';
import { MAX_WEB_CONFIG_BYTES } from './configBounds.js';
import { parseWebConfig, WebConfigError, type WebConfig } from './webConfig.js';
import { readRegularFile } from '../kernel/files/readRegularFile.js';

/**
 * What `serve --web-config FILE` adds to the server: TLS on every connection,
 * basic auth on every request, headers on every answer. This module (with
 * node:tls and yaml) is loaded only when the option is given, and bcryptjs,
 * in its own thread, at the first password to check.
 */
export interface WebSecurity {
  wrap?: (raw: Socket) => Socket;
  authorize?: Authorize;
  headers: Record<string, string>;
  /** What it turned on, for the start-up line: "TLS, basic auth (2 users)". */
  summary: string;
}

/** A certificate (chain) or a key is a few KiB; past this, it is not one. */
const MAX_PEM_BYTES = 1 << 20;

/** A regular file whole (readRegularFile: a FIFO or a device refused before a read could block), worded for --web-config. */
function readBounded(path: string, what: string, cap = MAX_PEM_BYTES): string {
  const read = readRegularFile(path, cap);
  if (read.ok) return read.data.toString('utf8');
  if (read.kind === 'notRegular') throw new WebConfigError(`${what} ${path}: not a regular file`);
  if (read.kind === 'overCap') throw new WebConfigError(`${what} ${path}: over ${cap} bytes, not a ${cap === MAX_PEM_BYTES ? 'certificate or key' : 'web config'}`);
  throw new WebConfigError(`${what} ${path}: ${(read.error as NodeJS.ErrnoException).code ?? (read.error as Error).message}`);
}

function pem(source: { pem: string } | { file: string }, what: string): string {
  return 'pem' in source ? source.pem : readBounded(source.file, what);
}

/** Compared against when the user is unknown, so that an unknown user costs the same time as a wrong password. */
const UNKNOWN_USER_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8sA4nZ3Y1pQmLkq5c6s0oO6r0y2w9e';

/** Waits `ms`, or less if the client goes meanwhile (then resolves false). */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0 || signal.aborted) return Promise.resolve(!signal.aborted);
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve(!signal.aborted);
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * What basic auth keeps from one web config to the next (a reload keeps it):
 * the bcrypt threads, the credentials they accepted, and the failures per
 * address.
 */
export class AuthGate {
  constructor(
    readonly pool = new BcryptPool(),
    readonly verified = new VerifiedCredentials(),
    readonly penalties = new FailurePenalties(),
  ) {}

  close(): void {
    this.pool.close();
  }
}

/**
 * Basic auth against bcrypt hashes (slow on purpose: 70-250 ms of CPU at cost
 * 10). A pair that bcrypt accepted once is let in at once from then on
 * (VerifiedCredentials), so a scraper never waits behind strangers' guesses;
 * any other pair goes to the bcrypt threads (BcryptPool: a bounded number at
 * once, dropped if the client has gone), after a wait that grows with its
 * address's failures, or is refused unchecked past that (FailurePenalties).
 */
function basicAuth(users: Map<string, string>, gate: AuthGate): Authorize {
  // At the cost of the users' own hashes.
  const unknownUserHash = UNKNOWN_USER_HASH.replace('$10$', users.values().next().value!.slice(3, 7));
  return async (authorization, client) => {
    const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization ?? '');
    if (match === null) return { kind: 'refused' };
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { kind: 'refused' };
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const hash = users.get(user);
    const digest = gate.verified.digest(user, password);
    if (hash !== undefined && gate.verified.has(digest, hash)) return { kind: 'allowed' };
    const verdict = gate.penalties.verdict(client.address);
    if (verdict.kind === 'shed') {
      await pause(verdict.delayMs, client.signal);
      return { kind: 'shed', status: 429, retryAfterSeconds: verdict.retryAfterSeconds };
    }
    if (!(await pause(verdict.delayMs, client.signal))) return { kind: 'refused' };
    const outcome = await gate.pool.compare(password, hash ?? unknownUserHash, client.signal);
    if (outcome === 'gone') return { kind: 'refused' };
    if (outcome === 'busy') {
      // Answered after a pause all the same: an answer at once would only bring the next guess sooner.
      await pause(BUSY_PAUSE_MS, client.signal);
      return { kind: 'shed', status: 503, retryAfterSeconds: 1 };
    }
    if (outcome === 'match' && hash !== undefined) {
      gate.verified.remember(digest, hash);
      return { kind: 'allowed' };
    }
    gate.penalties.failed(client.address);
    return { kind: 'refused' };
  };
}

/** How long a check refused because the bcrypt threads are full waits before its 503. */
const BUSY_PAUSE_MS = 1_000;

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

/**
 * Loads FILE, for basic auth through `gate` (the same from one load to the
 * next); throws WebConfigError with one line (the file's content is never
 * quoted, it may hold secrets).
 */
export function loadWebSecurity(file: string, gate: AuthGate): WebSecurity {
  const path = resolve(file);
  const config = parseWebConfig(readBounded(path, 'web config', MAX_WEB_CONFIG_BYTES), dirname(path));
  const parts = [];
  const wrap = config.tls === undefined ? undefined : tlsWrap(config.tls);
  if (wrap !== undefined) parts.push(`TLS (${config.tls!.minVersion} to ${config.tls!.maxVersion})`);
  const authorize = config.users.size === 0 ? undefined : basicAuth(config.users, gate);
  if (authorize !== undefined) parts.push(`basic auth (${config.users.size} user${config.users.size === 1 ? '' : 's'})`);
  return { wrap, authorize, headers: config.headers, summary: parts.length === 0 ? 'neither TLS nor basic auth' : parts.join(', ') };
}
