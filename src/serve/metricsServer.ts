import { createServer, type Server, type Socket } from 'node:net';
import { PROMETHEUS_CONTENT_TYPE } from '../render/prometheusText.js';
import { ConnectionTable } from './connectionTable.js';
import { ANSWERS_PER_TURN, AnswerTurns } from './answerTurns.js';
import { HttpConnection, type Answer, type RequestContext } from './httpConnection.js';
import type { RequestHead } from './requestHead.js';
import { ScanCache } from './scanCache.js';

export interface MetricsServerOptions {
  /** One scan, rendered as the text format; throws when the scan fails for a reason outside a process. */
  scrape: () => Promise<string>;
  minIntervalMs: number;
  /** Headers must have arrived within this (and a TLS handshake before them); a slow client only holds up itself. */
  requestTimeoutMs?: number;
  /** Wraps each accepted socket (in TLS); node:tls is loaded only where it is asked for. Read at each connection, like authorize and headers at each request, so that they can be replaced. */
  wrap?: (raw: Socket) => Socket;
  /** Basic auth: whether an Authorization header's credentials may see anything; absent, all may. */
  authorize?: Authorize;
  /** Added to every answer (the web config's http_server_config.headers). */
  headers?: Record<string, string>;
  /** Told the bytes a connection had read, once it has closed (serve collects garbage by it). */
  onClosed?: (bytesRead: number) => void;
  maxConnections?: number;
  maxConnectionsPerAddress?: number;
  /** TLS handshakes under way at most (MAX_HANDSHAKES). */
  maxHandshakes?: number;
}

/** Who asks, for basic auth: where from, and whether still there. */
export interface Client {
  address: string;
  /** Aborted once the connection has closed. */
  signal: AbortSignal;
}

/** Let in; refused (401); or shed unchecked (429 for an address that failed too often, 503 when the checks are full). */
export type AuthVerdict = { kind: 'allowed' } | { kind: 'refused' } | { kind: 'shed'; status: 429 | 503; retryAfterSeconds: number };

export type Authorize = (authorization: string | undefined, client: Client) => Promise<AuthVerdict>;

export interface MetricsServer {
  server: Server;
  /** Stops listening and closes every connection. */
  close(): void;
}

/**
 * Open connections at most, and per remote address: past either, the least
 * recently active connection that is not waiting for its answer is closed.
 * 200 scrapes at once from one Prometheus (or a test) fit; 1,500 half-open
 * connections do not stay.
 */
export const MAX_CONNECTIONS = 512;
export const MAX_CONNECTIONS_PER_ADDRESS = 256;

/**
 * TLS handshakes under way at most; past it, the oldest is closed. A handshake
 * holds OpenSSL's state (keys, transcript, buffers) of about 80 KB, which the
 * allocator keeps once freed: 512 left unfinished at once raised serve's RSS
 * by 43 MB for good (bench/serveFlood.mjs). Each is also bounded in time, by
 * the head's deadline, like a plain connection that sends nothing.
 */
export const MAX_HANDSHAKES = 64;

/** What an unfinished handshake counts for in onClosed's bytes (its garbage is native state, not bytes read). */
const UNFINISHED_HANDSHAKE_WEIGHT = 64 * 1024;

const TEXT = 'text/plain; charset=utf-8';
const LANDING = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>footprint</title></head>
<body><h1>footprint</h1><p>Writable memory (Private_Dirty) and shared totals per program, for Prometheus: <a href="/metrics">/metrics</a>.</p></body></html>
`;

/**
 * The HTTP side of `serve`: GET /metrics (one shared scan per scrape), GET / (a
 * page linking to it), 404 for other paths, 405 for other methods; 401 first
 * where basic auth is asked for. A scan that fails answers 500 with one line,
 * and the server goes on. Each connection answers one request at a time and
 * reads the next only once the answer has drained (src/serve/httpConnection.ts).
 */
export function createMetricsServer(options: MetricsServerOptions): MetricsServer {
  // Encoded once per scan: every connection's answer shares the same bytes.
  const cache = new ScanCache(async () => Buffer.from(await options.scrape()), options.minIntervalMs);
  // wrap, authorize and headers are read at each use: a reload of the web config replaces them.
  const text = (status: number, body: string, headers: Record<string, string> = {}): Answer => ({ status, headers: { 'Content-Type': TEXT, ...options.headers, ...headers }, body });

  const route = async (head: RequestHead, context: RequestContext): Promise<Answer> => {
    if (options.authorize !== undefined) {
      const verdict = await options.authorize(head.headers.get('authorization'), context);
      if (verdict.kind === 'refused') return text(401, 'Unauthorized\n', { 'WWW-Authenticate': 'Basic' });
      if (verdict.kind === 'shed') return text(verdict.status, 'too many password checks: try again later\n', { 'Retry-After': String(verdict.retryAfterSeconds) });
    }
    context.preparing();
    if (head.method !== 'GET' && head.method !== 'HEAD') return text(405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    if (head.path === '/') return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', ...options.headers }, body: LANDING };
    if (head.path !== '/metrics') return text(404, 'not found: see /metrics\n');
    try {
      return { status: 200, headers: { 'Content-Type': PROMETHEUS_CONTENT_TYPE, ...options.headers }, body: await cache.get() };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return text(500, `scan failed: ${message}\n`);
    }
  };

  const headMs = options.requestTimeoutMs ?? 10_000;
  const timeouts = { headMs, idleMs: 5_000, drainMs: headMs };
  const table = new ConnectionTable<HttpConnection>(
    options.maxConnections ?? MAX_CONNECTIONS, options.maxConnectionsPerAddress ?? MAX_CONNECTIONS_PER_ADDRESS, (connection) => !connection.preparing, (connection) => connection.known,
  );
  // Pipelined answers, a few per turn of the event loop for all connections: new connections are accepted meanwhile.
  const turns = new AnswerTurns(ANSWERS_PER_TURN);
  const later = (work: () => void) => turns.add(work);
  // Half-open: a client may send its request and end its side; the answer still goes out.
  const server = createServer({ allowHalfOpen: true }, (raw: Socket) => {
    raw.on('error', () => raw.destroy());
    const socket = options.wrap === undefined ? raw : options.wrap(raw);
    const address = raw.remoteAddress ?? '';
    const connection: HttpConnection = new HttpConnection(socket, route, timeouts, () => table.touch(connection), address, later);
    const closing = table.add(connection, address);
    if (closing === undefined) return connection.destroy();
    for (const other of closing) other.destroy();
    let secured = socket === raw;
    if (!secured) {
      handshaking.set(connection, true);
      socket.once('secure', () => {
        secured = true;
        handshaking.delete(connection);
      });
      // The oldest handshake gives way: a client that means well finishes in milliseconds.
      if (handshaking.size > maxHandshakes) handshaking.keys().next().value!.destroy();
    }
    socket.on('close', () => {
      table.remove(connection);
      handshaking.delete(connection);
      // A handshake left unfinished leaves OpenSSL's state and buffers to collect, whatever was read.
      options.onClosed?.(secured ? raw.bytesRead : Math.max(raw.bytesRead, UNFINISHED_HANDSHAKE_WEIGHT));
    });
  });
  // TLS handshakes under way, oldest first.
  const handshaking = new Map<HttpConnection, true>();
  const maxHandshakes = options.maxHandshakes ?? MAX_HANDSHAKES;
  // One sweep a second closes what is past its deadline: no timer per connection.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const connection of table.connections()) if (connection.deadline < now) connection.destroy();
  }, 1000);
  sweep.unref();
  server.on('close', () => clearInterval(sweep));
  return {
    server,
    close() {
      server.close();
      for (const connection of [...table.connections()]) connection.destroy();
    },
  };
}
