// `serve --web-config` under floods (issue 20, parts 3 and 5), with public tools
// only (node, openssl): TLS and basic auth with a bcrypt hash of cost 10, one
// real scraper with the right password (it has scraped once before the flood,
// as Prometheus has), and strangers on keep-alive TLS connections sending
// request after request, each with a fresh wrong password. Prints the real
// scrapes' median and slowest, how many failed, and serve's RSS (VmRSS) at its
// highest; then 600 TLS handshakes that never finish, and serve's RSS after.
//
//   node bench/serveFlood.mjs [--seconds S]                          the bench (bench/run.mjs runs it)
//   node bench/serveFlood.mjs attack PORT CLIENTS SECONDS [ADDRESSES]  the strangers alone, for SECONDS,
//       from ADDRESSES loopback addresses (127.0.0.1, then 127.0.1.1 on); prints a JSON summary
//   node bench/serveFlood.mjs handshakes PORT COUNT [ADDRESSES]      COUNT TLS handshakes left unfinished,
//       from ADDRESSES loopback addresses, until serve closes them all; prints a JSON summary
//
// Every process started here is ended by its PID, also on an error.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:https';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { Duplex } from 'node:stream';
import { dirname, join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { freePort } from './localServer.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const HERE = fileURLToPath(import.meta.url);
const PASSWORD = 'correct horse battery staple';

/** The n-th loopback address of a flood: 127.0.0.1 first, then 127.0.1.1, 127.0.1.2, … (all of 127/8 is this machine's). */
export function loopbackAddress(index) {
  return index === 0 ? '127.0.0.1' : `127.0.${1 + Math.floor((index - 1) / 250)}.${1 + ((index - 1) % 250)}`;
}

/**
 * CLIENTS strangers for SECONDS: each keeps one TLS connection and sends a GET
 * with a fresh wrong password as soon as the last answer is in; a connection
 * serve closes is opened again. Resolves with the answers' statuses counted.
 */
export function attack({ port, clients, seconds, addresses = 1 }) {
  const deadline = Date.now() + seconds * 1000;
  const statuses = {};
  let connections = 0;
  let closedByServer = 0;
  const sockets = new Set();
  const one = (index) => new Promise((resolve) => {
    const open = () => {
      if (Date.now() >= deadline) return resolve();
      connections++;
      const socket = connectTls({ host: '127.0.0.1', port, localAddress: loopbackAddress(index % addresses), rejectUnauthorized: false });
      sockets.add(socket);
      let received = Buffer.alloc(0);
      const ask = () => {
        if (Date.now() >= deadline) return socket.destroy();
        const credentials = Buffer.from(`alice:${randomBytes(12).toString('hex')}`).toString('base64');
        socket.write(`GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic ${credentials}\r\n\r\n`);
      };
      socket.on('secureConnect', ask);
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
        for (;;) {
          const end = received.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = received.subarray(0, end).toString('latin1');
          const length = Number(/^content-length: *(\d+)/im.exec(head)?.[1] ?? 0);
          if (received.length < end + 4 + length) return;
          const status = head.split(' ')[1];
          statuses[status] = (statuses[status] ?? 0) + 1;
          received = received.subarray(end + 4 + length);
          ask();
        }
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        if (Date.now() < deadline) closedByServer++;
        // Not at once: a stranger shut out again and again must not spin this process.
        setTimeout(open, 50);
      });
    };
    open();
  });
  const stop = setTimeout(() => {
    for (const socket of sockets) socket.destroy();
  }, seconds * 1000 + 100);
  return Promise.all(Array.from({ length: clients }, (_, index) => one(index))).then(() => {
    clearTimeout(stop);
    return { clients, seconds, addresses, connections, closedByServer, statuses };
  });
}

/** A real ClientHello, as Node's TLS client writes it first (captured from a client on a stream that goes nowhere). */
function clientHello() {
  return new Promise((resolve) => {
    let client;
    const nowhere = new Duplex({
      read() {},
      write(chunk, encoding, callback) {
        resolve(Buffer.from(chunk));
        callback();
        setImmediate(() => client.destroy());
      },
    });
    client = connectTls({ socket: nowhere, rejectUnauthorized: false });
    client.on('error', () => {});
  });
}

/**
 * COUNT TLS handshakes left unfinished: each connection sends a whole
 * ClientHello, so that serve does its part of the handshake (key exchange,
 * signature, its flight of messages), reads what serve sends and never answers.
 * Resolves once serve has closed every one, with the time that took.
 */
export async function slowHandshakes({ port, count, addresses = 1 }) {
  const started = Date.now();
  const hello = await clientHello();
  let closedByServer = 0;
  await Promise.all(Array.from({ length: count }, (_, index) => new Promise((resolve) => {
    const socket = connectTcp({ port, host: '127.0.0.1', localAddress: loopbackAddress(index % addresses) }, () => socket.write(hello));
    socket.resume();
    socket.on('error', () => {});
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      closedByServer++;
      resolve();
    });
  })));
  return { count, closedByServer, seconds: (Date.now() - started) / 1000 };
}

// ------------------------------------------------------------------ the bench


/** serve's resident memory now (VmRSS, kB). */
function rssKB(pid) {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))[1]);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Runs this file in another mode, in a process of its own (the strangers must not share the scraper's event loop); resolves with its JSON. */
function runMode(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HERE, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${args[0]} exited ${code}`))));
  });
}

/** A self-signed certificate for 127.0.0.1 and a web config with TLS and one user (alice, bcrypt cost 10) in a new directory. */
export async function makeWebConfig() {
  const dir = mkdtempSync(join(tmpdir(), 'footprint-flood-'));
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=footprint flood', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl req failed: ${made.stderr}`);
  const { default: bcrypt } = await import(join(ROOT, 'node_modules', 'bcryptjs', 'index.js'));
  const file = join(dir, 'web.yml');
  writeFileSync(file, `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  alice: ${bcrypt.hashSync(PASSWORD, 10)}\n`);
  return { dir, file, ca: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

/** One scrape with the right password on the scraper's keep-alive agent: its status and wall time (ms). */
export function scrape(url, agent, ca) {
  const start = performance.now();
  return new Promise((resolve) => {
    const request = get(url, { agent, ca, auth: `alice:${PASSWORD}` }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, ms: performance.now() - start }));
      response.on('error', (error) => resolve({ status: error.code ?? 'error', ms: performance.now() - start }));
    });
    request.on('error', (error) => resolve({ status: error.code ?? 'error', ms: performance.now() - start }));
  });
}

/**
 * Real scrapes, one a second, while `clients` strangers flood for `seconds`;
 * serve's RSS sampled meanwhile. Returns the figures.
 */
export async function floodRound({ port, pid, ca, agent, clients, seconds, addresses = 1 }) {
  const url = `https://127.0.0.1:${port}/metrics`;
  const flood = runMode(['attack', String(port), String(clients), String(seconds), String(addresses)]);
  let highestKB = rssKB(pid);
  const sampler = setInterval(() => {
    highestKB = Math.max(highestKB, rssKB(pid));
  }, 200);
  const scrapes = [];
  const until = Date.now() + seconds * 1000;
  // The strangers connect first.
  await new Promise((resolve) => setTimeout(resolve, Math.min(2000, seconds * 200)));
  while (Date.now() < until) {
    const started = Date.now();
    scrapes.push(await scrape(url, agent, ca));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - started))));
  }
  const attacked = await flood;
  clearInterval(sampler);
  highestKB = Math.max(highestKB, rssKB(pid));
  const answered = scrapes.filter((each) => each.status === 200);
  return {
    clients, addresses, scrapes: scrapes.length, failed: scrapes.length - answered.length, failures: scrapes.filter((each) => each.status !== 200).map((each) => each.status),
    medianMs: median(scrapes.map((each) => each.ms)), slowestMs: Math.max(...scrapes.map((each) => each.ms)), highestKB, attacked,
  };
}

async function bench() {
  const secondsIndex = process.argv.indexOf('--seconds');
  const seconds = secondsIndex < 0 ? 15 : Number(process.argv[secondsIndex + 1]);
  const config = await makeWebConfig();
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'footprint.js'), 'serve', '--listen', `127.0.0.1:${port}`, '--min-interval', '1s', '--web-config', config.file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let failed = false;
  try {
    await new Promise((resolve, reject) => {
      let err = '';
      child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
      child.stderr.on('data', (chunk) => {
        err += chunk;
        if (err.includes('metrics on')) resolve();
      });
    });
    const warm = await scrape(`https://127.0.0.1:${port}/metrics`, agent, config.ca);
    if (warm.status !== 200) throw new Error(`the first scrape got ${warm.status}`);
    const idleKB = rssKB(child.pid);
    console.log(`serve --web-config (TLS, basic auth, bcrypt cost 10), idle RSS ${(idleKB / 1024).toFixed(1)} MiB; targets: median <= 1000 ms, slowest <= 3000 ms, RSS <= 150 MiB, every scrape answered`);
    for (const [clients, addresses] of [[20, 1], [256, 1], [256, 64]]) {
      const round = await floodRound({ port, pid: child.pid, ca: config.ca, agent, clients, seconds, addresses });
      const pass = round.failed === 0 && round.medianMs <= 1000 && round.slowestMs <= 3000 && round.highestKB / 1024 <= 150;
      if (!pass) failed = true;
      console.log(`  ${clients} wrong-password clients from ${addresses} address${addresses === 1 ? '' : 'es'}, ${seconds} s: real scrapes ${round.scrapes}, failed ${round.failed}${round.failed > 0 ? ` (${round.failures.join(', ')})` : ''}, `
        + `median ${round.medianMs.toFixed(0)} ms, slowest ${round.slowestMs.toFixed(0)} ms, serve RSS highest ${(round.highestKB / 1024).toFixed(1)} MiB  ${pass ? 'PASS' : 'FAIL'}`);
      console.log(`    (strangers: ${round.attacked.connections} connections, ${round.attacked.closedByServer} closed by serve, answers ${JSON.stringify(round.attacked.statuses)})`);
    }
    agent.destroy();
    // TLS handshakes that never finish, then serve's RSS once they are gone.
    const beforeKB = rssKB(child.pid);
    let highestKB = beforeKB;
    const sampler = setInterval(() => {
      highestKB = Math.max(highestKB, rssKB(child.pid));
    }, 200);
    const handshakes = await runMode(['handshakes', String(port), '600', '8']);
    clearInterval(sampler);
    // Settled: the lowest of a few seconds' readings (a collection may be under way).
    let afterKB = rssKB(child.pid);
    for (let index = 0; index < 10; index++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      afterKB = Math.min(afterKB, rssKB(child.pid));
    }
    const pass = afterKB - idleKB <= 20 * 1024;
    if (!pass) failed = true;
    console.log(`  600 TLS handshakes never finished, from 8 addresses (all closed by serve within ${handshakes.seconds.toFixed(1)} s): serve RSS ${(beforeKB / 1024).toFixed(1)} MiB before, `
      + `${(highestKB / 1024).toFixed(1)} highest, ${(afterKB / 1024).toFixed(1)} after (target: within 20 MiB of idle, ${(idleKB / 1024).toFixed(1)})  ${pass ? 'PASS' : 'FAIL'}`);
  } finally {
    agent.destroy();
    child.kill('SIGKILL');
    rmSync(config.dir, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] === HERE) {
  const [mode, port, count, seconds, addresses] = process.argv.slice(2);
  if (mode === 'attack') {
    console.log(JSON.stringify(await attack({ port: Number(port), clients: Number(count), seconds: Number(seconds), addresses: Number(addresses ?? 1) })));
  } else if (mode === 'handshakes') {
    console.log(JSON.stringify(await slowHandshakes({ port: Number(port), count: Number(count), addresses: Number(seconds ?? 1) })));
  } else {
    await bench();
  }
}
