// The serve part of `npm run bench` (issue 8), run by bench/run.mjs while its
// population of Pythons lives: `footprint serve --min-interval 0` scraped again
// and again, one scrape at a time. Prints the median footprint_scan_duration_seconds
// against one `cat` of every smaps_rollup, and serve's own RSS after the scrapes.
// And serve under the pipelining attack of issue 12 (benchServeAttack, below).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { median } from './median.mjs';
import { askMemory, freePort, serveListening } from './localServer.mjs';

const FLOOD = fileURLToPath(new URL('../test/fixtures/pipelineFlood.py', import.meta.url));
const MEMORY_PROBE = fileURLToPath(new URL('./serveMemoryProbe.cjs', import.meta.url));

/** serve's own memory, from the kernel: RSS (kB) and, from its smaps_rollup, Private_Dirty and Pss_File (kB). */
function serveMemory(pid) {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)[1]);
  return { rssKB: field('Rss'), privateDirtyKB: field('Private_Dirty'), fileKB: field('Pss_File') };
}

/**
 * Scrapes `serve` `scrapes` times, one at a time; returns the median scan
 * (footprint_scan_duration_seconds, in ms) and scrape, and serve's RSS (kB) at
 * the end and at its highest. `env` is added to serve's environment
 * (FOOTPRINT_SCAN_PARTNER=1: a partner thread, for comparison). With
 * `deciles`, serve's memory after each tenth of the scrapes (the soak).
 */
export async function benchServe({ bin, node = process.execPath, scrapes = 100, env = {}, deciles = false }) {
  const port = await freePort();
  const child = spawn(node, [bin, 'serve', '--listen', `127.0.0.1:${port}`, '--min-interval', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env },
  });
  try {
    await serveListening(child);
    const durations = [];
    const wallMs = [];
    let highestKB = 0;
    const memory = [];
    for (let index = 0; index < scrapes; index++) {
      const started = process.hrtime.bigint();
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      wallMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      durations.push(Number(/^footprint_scan_duration_seconds (\S+)$/m.exec(body)[1]));
      const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'latin1'))[1]);
      highestKB = Math.max(highestKB, rss);
      if (deciles && (index + 1) % Math.ceil(scrapes / 10) === 0) memory.push({ scrapes: index + 1, ...serveMemory(child.pid) });
    }
    const endKB = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'latin1'))[1]);
    const { privateDirtyKB, fileKB } = serveMemory(child.pid);
    return { scanMs: median(durations) * 1000, scrapeMs: median(wallMs), endKB, highestKB, scrapes, privateDirtyKB, fileKB, memory };
  } finally {
    child.kill('SIGTERM');
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Node's own floor here: VmRSS (kB) of `node -e 'setInterval(() => {}, 1e3)'` once it has settled. */
export async function nodeFloorKB(node = process.execPath) {
  const child = spawn(node, ['-e', 'setInterval(() => {}, 1e3); process.stdout.write("up\\n")'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise((resolve) => child.stdout.once('data', resolve));
    await sleep(1000);
    return rssKB(child.pid);
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * serve's own weight (issue 24 item 4): `footprint serve --min-interval 0`
 * scraped `scrapes` times, one at a time, then its memory part by part: RSS
 * (anonymous and file-backed), V8's heap (used of total, and its code space),
 * external memory (Buffers) and the threads it runs. `args` are added to serve's.
 */
export async function benchServeWeight({ bin, node = process.execPath, scrapes = 1000, args = [], env = {} }) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'footprint-weight-'));
  const file = join(dir, 'memory.json');
  const child = spawn(node, ['--require', MEMORY_PROBE, bin, 'serve', '--listen', `127.0.0.1:${port}`, '--min-interval', '0', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env, FOOTPRINT_MEMORY_PROBE: file },
  });
  try {
    await serveListening(child);
    const wallMs = [];
    let highestKB = 0;
    for (let index = 0; index < scrapes; index++) {
      const started = process.hrtime.bigint();
      const { status } = await rawScrape(port);
      if (status !== 200) throw new Error(`scrape ${index + 1} answered ${status}`);
      wallMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      highestKB = Math.max(highestKB, rssKB(child.pid));
    }
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'latin1');
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the command's name), in clock ticks of 1/100 s.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
    return { scrapes, scrapeMs: median(wallMs), highestKB, cpuSeconds, memory: await askMemory(child.pid, file) };
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line of serve's weight: RSS and its parts, in MB of 10^6 bytes. */
export function weightLine(label, weight) {
  const mb = (bytes) => (bytes / 1e6).toFixed(1);
  const { memory } = weight;
  return `${label}: RSS ${mb(memory.rss)} MB after ${weight.scrapes} scrapes (highest ${(weight.highestKB / 1000).toFixed(1)}) = anonymous ${mb(memory.rssAnon)} + files ${mb(memory.rssFile)}; `
    + `V8 heap ${mb(memory.heapUsed)} used of ${mb(memory.heapTotal)} (code ${mb(memory.spaces.code_space?.size ?? 0)}, young ${mb(memory.spaces.new_space?.size ?? 0)}), `
    + `external ${mb(memory.external)} (ArrayBuffers ${mb(memory.arrayBuffers)}), ${memory.threads} threads; scrape median ${weight.scrapeMs.toFixed(0)} ms, `
    + `CPU ${(weight.cpuSeconds * 1000 / weight.scrapes).toFixed(0)} ms per scrape`;
}

/** A raw GET /metrics on a connection of its own; resolves with its wall time (ms) and status. */
function rawScrape(port) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const socket = connect(port, '127.0.0.1', () => socket.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    let head = '';
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer within 30 s')));
    socket.on('data', (chunk) => {
      if (head.length < 16) head += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: Number(head.split(' ')[1]) }));
  });
}

const rssKB = (pid) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))[1]);
const socketCount = (pid) => readdirSync(`/proc/${pid}/fd`).filter((fd) => {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
  } catch {
    return false;
  }
}).length;

/**
 * The attack of issue 12 (test/fixtures/pipelineFlood.py, as the live test
 * runs it): `clients` sockets on 127.0.0.1, each pipelining `requests` GET
 * /metrics and never reading, coming back when shed, for `seconds`. serve runs
 * with its default --min-interval (2s); a real scrape on a connection of its
 * own every 200 ms meanwhile. Returns serve's RSS (kB) before, at its highest
 * during, and after the clients have gone (once serve holds none of their
 * sockets), and the real scrapes' latencies (median and highest, ms).
 */
export async function benchServeAttack({ bin, node = process.execPath, clients = 100, requests = 20_000, seconds = 8 }) {
  const port = await freePort();
  const child = spawn(node, [bin, 'serve', '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await serveListening(child);
    await rawScrape(port);
    const beforeKB = rssKB(child.pid);
    const sockets = socketCount(child.pid);
    const flood = spawn('python3', [FLOOD, String(port), String(clients), String(requests), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    flood.stdout.on('data', (chunk) => {
      out += chunk;
    });
    let running = true;
    const ended = new Promise((resolve) => flood.once('exit', (code) => {
      running = false;
      resolve(code);
    }));
    let highestKB = beforeKB;
    const latencies = [];
    const failed = [];
    while (running) {
      const { ms, status } = await rawScrape(port);
      (status === 200 ? latencies : failed).push(ms);
      highestKB = Math.max(highestKB, rssKB(child.pid));
      await new Promise((resolve) => setTimeout(resolve, 200));
      highestKB = Math.max(highestKB, rssKB(child.pid));
    }
    if (await ended !== 0) throw new Error(`the flood failed: ${out}`);
    for (const deadline = Date.now() + 15_000; socketCount(child.pid) > sockets && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 100));
    return {
      clients, requests, seconds, beforeKB, highestKB, afterKB: rssKB(child.pid), flood: JSON.parse(out),
      scrapes: latencies.length, failedScrapes: failed.length, scrapeMedianMs: median(latencies), scrapeMaxMs: Math.max(...latencies),
    };
  } finally {
    child.kill('SIGTERM');
  }
}

// `node bench/serve.mjs`: the attack alone, printed (after `npm run build`).
// `node bench/serve.mjs --weight [--population N] [--scrapes N]`: serve's own weight among
// N python3 processes (bench/population.mjs), beside Node's floor.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bin = fileURLToPath(new URL('../bin/footprint.js', import.meta.url));
  const option = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
  if (process.argv.includes('--weight')) {
    const { endPopulation, startPopulation } = await import('./population.mjs');
    const population = option('--population', 1000);
    const scrapes = option('--scrapes', 1000);
    try {
      await startPopulation(population, 6);
      console.log(`Node's floor (node -e 'setInterval(() => {}, 1e3)'): RSS ${((await nodeFloorKB()) / 1000).toFixed(1)} MB`);
      console.log(weightLine(`serve, ${population} processes`, await benchServeWeight({ bin, scrapes })));
      // serve scans on its main thread alone since issue 24; its partner thread as it was, for comparison.
      console.log(weightLine(`serve with a partner thread (FOOTPRINT_SCAN_PARTNER=1), ${population} processes`, await benchServeWeight({ bin, scrapes, env: { FOOTPRINT_SCAN_PARTNER: '1' } })));
    } finally {
      endPopulation();
    }
  } else {
    for (const requests of [20_000, 300]) {
      const r = await benchServeAttack({ bin, requests });
      console.log(`serve under attack: ${r.clients} clients x ${r.requests} pipelined GET /metrics, never reading, ${r.seconds} s `
        + `(${r.flood.connections} connections, ${r.flood.closedByServer} closed by serve): RSS ${(r.beforeKB / 1000).toFixed(1)} MB before, `
        + `${(r.highestKB / 1000).toFixed(1)} MB highest during, ${(r.afterKB / 1000).toFixed(1)} MB after; ${r.scrapes} real scrapes, `
        + `median ${r.scrapeMedianMs.toFixed(0)} ms, highest ${r.scrapeMaxMs.toFixed(0)} ms${r.failedScrapes > 0 ? `, ${r.failedScrapes} FAILED` : ''}`);
    }
  }
}
