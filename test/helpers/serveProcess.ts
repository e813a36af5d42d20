/**
 * `footprint serve` as the live tests start it: on 127.0.0.1, on a free port,
 * recorded in the caller's list so that it is ended by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { FOOTPRINT_HOME } from './runFootprint.js';

export interface StartedServe {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything serve has written on stderr so far. */
  stderr: () => string;
}

/** Starts `footprint serve` and resolves once it says it listens. */
export async function startServe(
  started: ChildProcess[], args: string[] = [], prefix: string[] = [], home = FOOTPRINT_HOME, env: Record<string, string> = {},
): Promise<StartedServe> {
  const port = await freePort();
  const command = [...prefix, process.execPath, join(home, 'bin', 'footprint.js'), 'serve', '--listen', `127.0.0.1:${port}`, ...args];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], cwd: '/', env: { ...process.env, ...env } });
  started.push(child);
  let err = '';
  child.stderr!.on('data', (chunk) => {
    err += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    const early = (code: number | null) => reject(new Error(`serve exited (${code}): ${err}`));
    child.once('exit', early);
    const listening = () => {
      if (!err.includes('footprint serve: metrics on ')) return;
      child.off('exit', early);
      child.stderr!.off('data', listening);
      resolve();
    };
    child.stderr!.on('data', listening);
  });
  const scheme = /metrics on (https?):/.exec(err)![1];
  return { url: `${scheme}://127.0.0.1:${port}`, port, child, stderr: () => err };
}

/** serve's resident memory now, from the kernel (VmRSS, bytes). */
export function residentBytes(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))![1]) * 1024;
}

/** A raw TCP connection to 127.0.0.1:PORT, once connected. */
export function rawConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * Sends `request` (raw bytes) on a new connection and collects what comes back
 * until the server closes it: the bytes, and how it ended ('end' for a FIN,
 * else the error's code, e.g. ECONNRESET).
 */
export async function exchange(port: number, request: string | Buffer, deadlineMs = 20_000): Promise<{ received: Buffer; ending: string }> {
  const socket = await rawConnection(port);
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end from the server within ${deadlineMs} ms: ${Buffer.concat(chunks).toString('latin1').slice(0, 200)}`));
    }, deadlineMs);
    let ending = '';
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      ending ||= 'end';
      socket.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      ending ||= error.code ?? error.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(chunks), ending });
    });
    socket.write(request);
  });
}

export interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits what a connection received into its responses, by Content-Length. */
export function splitResponses(received: Buffer): ParsedResponse[] {
  const responses: ParsedResponse[] = [];
  let text = received.toString('latin1');
  while (text.length > 0) {
    const end = text.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`half a response head: ${JSON.stringify(text.slice(0, 100))}`);
    const [statusLine, ...fields] = text.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(fields.map((field) => [field.slice(0, field.indexOf(':')).toLowerCase(), field.slice(field.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length']);
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4, end + 4 + length) });
    text = text.slice(end + 4 + length);
  }
  return responses;
}
