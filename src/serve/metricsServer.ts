import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { PROMETHEUS_CONTENT_TYPE } from '../render/prometheusText.js';
import { ScanCache } from './scanCache.js';

export interface MetricsServerOptions {
  /** One scan, rendered as the text format; throws when the scan fails for a reason outside a process. */
  scrape: () => Promise<string>;
  minIntervalMs: number;
  /** Headers and body must have arrived within this; a slow client only holds up itself. */
  requestTimeoutMs?: number;
}

const LANDING = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>footprint</title></head>
<body><h1>footprint</h1><p>Writable memory (Private_Dirty) and shared totals per program, for Prometheus: <a href="/metrics">/metrics</a>.</p></body></html>
`;

function send(response: ServerResponse, status: number, type: string, body: string, head: boolean, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
  response.end(head ? undefined : body);
}

/**
 * The HTTP side of `serve`: GET /metrics (one shared scan per scrape), GET / (a
 * page linking to it), 404 for other paths, 405 for other methods. A scan that
 * fails answers 500 with one line, and the server goes on.
 */
export function createMetricsServer(options: MetricsServerOptions): Server {
  const cache = new ScanCache(options.scrape, options.minIntervalMs);
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) return send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n', false, { Allow: 'GET, HEAD' });
    if (path === '/') return send(response, 200, 'text/html; charset=utf-8', LANDING, head);
    if (path !== '/metrics') return send(response, 404, 'text/plain; charset=utf-8', 'not found: see /metrics\n', head);
    try {
      send(response, 200, PROMETHEUS_CONTENT_TYPE, await cache.get(), head);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      send(response, 500, 'text/plain; charset=utf-8', `scan failed: ${message}\n`, head);
    }
  });
  const timeout = options.requestTimeoutMs ?? 10_000;
  server.headersTimeout = timeout;
  server.requestTimeout = timeout;
  server.keepAliveTimeout = 5_000;
  return server;
}
