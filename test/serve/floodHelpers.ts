/**
 * What the flood tests of `serve --web-config` share: a certificate and a web
 * config made here (openssl, bcryptjs at cost 10), the strangers of
 * bench/serveFlood.mjs run in a process of their own (so that their work is not
 * on the scraper's event loop), and the real scraper's scrape.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { get, type Agent } from 'node:https';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { FOOTPRINT_HOME } from '../helpers/runFootprint.js';
import { tempDir } from '../helpers/tempPaths.js';

export const PASSWORD = 'correct horse battery staple';
const FLOOD = join(FOOTPRINT_HOME, 'bench', 'serveFlood.mjs');

export interface MadeConfig {
  dir: string;
  /** The web config: TLS with the certificate below, basic auth for alice. */
  file: string;
  /** The certificate, to trust. */
  ca: string;
  /** The web config's text, to write again. */
  text: string;
}

/** A self-signed certificate for 127.0.0.1 and a web config with TLS and alice's bcrypt hash (cost 10), in a new directory. */
export function makeWebConfig(): MadeConfig {
  const dir = tempDir('footprint-flood-');
  const made = spawnSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=footprint flood test', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl req failed: ${made.stderr}`);
  const file = join(dir, 'web.yml');
  const text = `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  alice: ${bcrypt.hashSync(PASSWORD, 10)}\n`;
  writeFileSync(file, text);
  return { dir, file, ca: readFileSync(join(dir, 'cert.pem'), 'utf8'), text };
}

export interface Scrape {
  /** The HTTP status, or the error's code. */
  status: number | string;
  ms: number;
  retryAfter?: string;
}

/** GET /metrics with alice's right password (or `password`), on the scraper's own keep-alive agent. */
export function scrape(port: number, agent: Agent, ca: string, password = PASSWORD): Promise<Scrape> {
  const start = performance.now();
  return new Promise((resolve) => {
    const failed = (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? error.message, ms: performance.now() - start });
    const request = get(`https://127.0.0.1:${port}/metrics`, { agent, ca, auth: `alice:${password}` }, (response) => {
      response.resume();
      const retryAfter = response.headers['retry-after'];
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - start, ...(retryAfter === undefined ? {} : { retryAfter }) }));
      response.on('error', failed);
    });
    request.on('error', failed);
  });
}

export interface FloodSummary {
  connections: number;
  closedByServer: number;
  /** The strangers' answers, by status. */
  statuses: Record<string, number>;
}

/**
 * Runs bench/serveFlood.mjs in `mode` ('attack' or 'handshakes') in a process
 * recorded in `started`; resolves with its summary once it has stopped by itself.
 */
export function runFlood(started: ChildProcess[], args: string[]): Promise<FloodSummary> {
  const child = spawn(process.execPath, [FLOOD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as FloodSummary) : reject(new Error(`bench/serveFlood.mjs ${args[0]} exited ${code}: ${err}`))));
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
