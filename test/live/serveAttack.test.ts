/**
 * Live: `footprint serve` against clients that mean harm (issue 12). Every
 * attack targets 127.0.0.1, is bounded in clients, requests and seconds, and
 * ends by itself; every process is ended by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { stopChildren } from '../helpers/liveProcesses.js';
import { assertBuilt } from '../helpers/runFootprint.js';
import { exchange, rawConnection, residentBytes, splitResponses, startServe } from '../helpers/serveProcess.js';

const FLOOD = fileURLToPath(new URL('../fixtures/pipelineFlood.py', import.meta.url));
/**
 * How far above its idle RSS serve may go under a flood, and must come back within after it (issue 20, item 5's
 * measure: within 20 MB of idle), in bytes, as the bench counts MB. An absolute figure (the bench's ≤ 80 MB, measured
 * by bench/serve.mjs) moves with the machine: under two busy loops the flood's peak was 81.4 MB from an idle 71 MB.
 */
const ABOVE_IDLE_BYTES = 20e6;
const SCRAPE = 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
const started: ChildProcess[] = [];

beforeAll(() => assertBuilt());

afterEach(async () => {
  await stopChildren(started, 'SIGKILL');
});

interface FloodResult { connections: number; closedByServer: number; refused: number; requestsSent: number }

/** test/fixtures/pipelineFlood.py: CLIENTS that pipeline REQUESTS each, never read, and come back when shed, for SECONDS. */
function flood(port: number, clients: number, requests: number, seconds: number): { done: Promise<FloodResult>; child: ChildProcess } {
  const child = spawn('python3', [FLOOD, String(port), String(clients), String(requests), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
  });
  const done = new Promise<FloodResult>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as FloodResult) : reject(new Error(`the flood exited ${code}: ${out}`))));
  });
  return { done, child };
}

function socketCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
    } catch {
      return false; // closed between the listing and the readlink
    }
  }).length;
}

async function until(condition: () => boolean, deadlineMs: number): Promise<boolean> {
  for (const deadline = Date.now() + deadlineMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (condition()) return true;
  }
  return condition();
}

/** A real scrape on a connection of its own: its status, its wall time, whether it carried the figures. */
async function timedScrape(port: number): Promise<{ status: number; ms: number; figures: boolean }> {
  const start = process.hrtime.bigint();
  const { received } = await exchange(port, SCRAPE);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const [response] = splitResponses(received);
  return { status: response?.status ?? 0, ms, figures: response?.body.includes('\nfootprint_scan_duration_seconds ') ?? false };
}

describe('serve under attack', () => {
  // 20,000: each client's first read already queues more than 16 KiB behind its first request,
  // and it is shed at once (and comes back). 300 (12 KiB): each is answered, one request at a time,
  // until its client stops reading, and closed after 16 pipelined answers.
  test.each([20_000, 300])('100 clients each pipelining %i GET /metrics and never reading: RSS stays within 20 MB of idle and returns, real scrapes answer within 1 s', async (requests) => {
    // Scrapes within a minute share one scan: the latency measured is the server's under attack, not a scan's on a busy machine.
    const serve = await startServe(started, ['--min-interval', '60s']);
    const pid = serve.child.pid!;
    expect(await timedScrape(serve.port)).toMatchObject({ status: 200, figures: true });
    const idle = residentBytes(pid);
    const socketsBefore = socketCount(pid);
    const attack = flood(serve.port, 100, requests, 6);
    let running = true;
    void attack.done.finally(() => {
      running = false;
    });
    let highest = residentBytes(pid);
    const scrapes: { status: number; ms: number; figures: boolean }[] = [];
    while (running) {
      scrapes.push(await timedScrape(serve.port));
      highest = Math.max(highest, residentBytes(pid));
      await new Promise((resolve) => setTimeout(resolve, 100));
      highest = Math.max(highest, residentBytes(pid));
    }
    const result = await attack.done;
    expect(result.connections).toBeGreaterThanOrEqual(100);
    expect(scrapes.length).toBeGreaterThanOrEqual(3);
    expect(scrapes.filter((scrape) => scrape.status !== 200 || !scrape.figures)).toEqual([]);
    expect(Math.max(...scrapes.map((scrape) => scrape.ms))).toBeLessThan(1000);
    expect({ highest, above: highest - idle < ABOVE_IDLE_BYTES }).toEqual({ highest, above: true });
    // The clients gone, serve holds no connection of theirs (the last ones it ended close within its 5 s idle time) ...
    expect(await until(() => socketCount(pid) <= socketsBefore, 15_000)).toBe(true);
    // ... and its memory is back within as much of idle.
    const after = residentBytes(pid);
    expect({ after, back: after - idle < ABOVE_IDLE_BYTES }).toEqual({ after, back: true });
    expect(await timedScrape(serve.port)).toMatchObject({ status: 200, figures: true });
  }, 60_000);

  test('20 pipelined requests read only afterwards: 16 answers in order, the 16th says Connection: close, then the connection ends', async () => {
    const serve = await startServe(started, ['--min-interval', '60s']);
    const request = (index: number) => `GET /?n=${index} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    const { received, ending } = await exchange(serve.port, Array.from({ length: 20 }, (_, index) => request(index)).join(''));
    const responses = splitResponses(received);
    expect(ending).toBe('end');
    expect(responses.map((response) => response.status)).toEqual(Array(16).fill(200));
    expect(responses.map((response) => response.headers.connection)).toEqual([...Array(15).fill('keep-alive'), 'close']);
    expect(responses.every((response) => response.body.includes('<a href="/metrics">/metrics</a>'))).toBe(true);
  });

  test('more than 16 KiB of requests queued behind an answer: the connection is closed, not read into memory', async () => {
    const serve = await startServe(started, ['--min-interval', '60s']);
    const queued = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.repeat(Math.ceil(17 * 1024 / 34));
    const { received, ending } = await exchange(serve.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${queued}`);
    // Answered at most its first request, then closed (a reset where bytes were left unread).
    expect(splitResponses(received).length).toBeLessThanOrEqual(1);
    expect(['end', 'ECONNRESET']).toContain(ending);
  });

  test('past 256 connections from one address, the least recently active is closed first', async () => {
    const serve = await startServe(started, ['--min-interval', '60s']);
    const sockets: Socket[] = [];
    const closed = new Set<number>();
    const open = async () => {
      const index = sockets.length;
      const socket = await rawConnection(serve.port);
      socket.on('error', () => undefined);
      socket.on('close', () => closed.add(index));
      sockets.push(socket);
      return socket;
    };
    // 256 idle connections, in order, each accepted before the next (counted in serve's descriptors).
    const before = socketCount(serve.child.pid!);
    for (let index = 0; index < 256; index++) await open();
    expect(await until(() => socketCount(serve.child.pid!) === before + 256, 15_000)).toBe(true);
    // Connection 1 asks for something: it is now the most recently active.
    const answer = (socket: Socket) => new Promise<string>((resolve) => {
      let text = '';
      const onData = (chunk: Buffer) => {
        text += chunk.toString('latin1');
        if (text.includes('</html>')) {
          socket.off('data', onData);
          resolve(text);
        }
      };
      socket.on('data', onData);
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    });
    expect(await answer(sockets[1])).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    // The 257th closes connection 0 (the least recently active), the 258th connection 2 (1 was active).
    await open();
    expect(await until(() => closed.has(0), 10_000)).toBe(true);
    await open();
    expect(await until(() => closed.has(2), 10_000)).toBe(true);
    expect([...closed].sort((a, b) => a - b)).toEqual([0, 2]);
    // The ones left are served.
    expect(await answer(sockets[1])).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(await answer(sockets[257])).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    for (const socket of sockets) socket.destroy();
  });
});
