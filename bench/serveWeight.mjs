// serve's own weight and its repeated scan against the C floor (issue 24, items 4 and 5).
//
//   node bench/serveWeight.mjs [--population N] [--scrapes N] [--every N] [--serve-args '...'] [--node-args '...'] [--env 'K=V ...']
//
// Starts N python3 processes (bench/population.mjs; --population 0: the machine as it is),
// builds bench/rollupFloor.c (cc -O2 -pthread, in a temp dir), and scrapes
// `footprint serve --min-interval 0` (its defaults otherwise: the read budget on) N times,
// one at a time, each on a connection of its own. At every --every-th scrape it takes
// serve's RSS and runs the C floor (two threads, 5 rounds) right there, so that the scan
// and its floor are measured under the same load. Then serve's memory part by part
// (bench/serveMemoryProbe.cjs, loaded with --require by this bench only), CPU per scrape,
// and the verdicts: RSS <= 60 MB, and the repeated scan <= 1.25x the C floor.
//
// The repeated scan is footprint_scan_duration_seconds (the scan of every process); the
// read budget's stat pass before it (footprint_scan_seconds_total's growth per scrape,
// which also counts building the report) is printed beside it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.mjs';
import { askMemory, freePort, serveListening } from './localServer.mjs';

const RSS_TARGET_MB = 60;
const SCAN_TARGET_RATIO = 1.25;
const FLOOR_SOURCE = fileURLToPath(new URL('./rollupFloor.c', import.meta.url));
const MEMORY_PROBE = fileURLToPath(new URL('./serveMemoryProbe.cjs', import.meta.url));
const BIN = process.env.FOOTPRINT_BENCH_BIN ?? fileURLToPath(new URL('../bin/footprint.js', import.meta.url));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const rssKB = (pid) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))[1]);

/**
 * Above this RSS the C floor reads no smaps_rollup: serve's read budget reads such a process
 * once per --refresh (5 min), not at every scrape (at its default --max-read-ms of 10 ms,
 * from about 500 MiB resident: docs/budget.md).
 */
const FLOOR_MAX_RSS_KIB = 512 * 1024;

/** The C floor, compiled into `dir`; returns a function that runs it (rounds, threads) and gives its JSON. */
export function buildFloor(dir) {
  const binary = join(dir, 'rollupFloor');
  const built = spawnSync('cc', ['-O2', '-pthread', '-o', binary, FLOOR_SOURCE], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`cc bench/rollupFloor.c failed: ${built.stderr || built.error?.message}`);
  return (rounds = 5, threads = 2) => {
    const run = spawnSync(binary, [String(rounds), String(threads), String(FLOOR_MAX_RSS_KIB)], { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`rollupFloor failed: ${run.stderr}`);
    return JSON.parse(run.stdout);
  };
}



/** GET /metrics on a connection of its own: its status, body and wall time (ms). */
function scrape(port) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const chunks = [];
    const socket = connect(port, '127.0.0.1', () => socket.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    socket.setTimeout(60_000, () => socket.destroy(new Error('no answer within 60 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: Number(text.split(' ')[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}

const metric = (body, name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)?.[1] ?? NaN);

/** CPU seconds (user + system) of a process so far, from its stat. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Node's own floor here: VmRSS (kB) of `node -e 'setInterval(() => {}, 1e3)'` once it has settled. */
async function nodeFloorKB() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e3); process.stdout.write("up\\n")'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise((resolve) => child.stdout.once('data', resolve));
    await sleep(1000);
    return rssKB(child.pid);
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * Scrapes serve `scrapes` times back to back; at every `every`-th, its RSS and a
 * paired run of the C floor. Returns the curve, the scans, the floor's runs, CPU
 * per scrape and serve's memory part by part at the end.
 */
export async function benchServeWeight({ floor, scrapes = 1000, every = 100, serveArgs = [], nodeArgs = [], env = {} }) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'footprint-weight-'));
  const file = join(dir, 'memory.json');
  const child = spawn(process.execPath, [...nodeArgs, '--require', MEMORY_PROBE, BIN, 'serve', '--listen', `127.0.0.1:${port}`, '--min-interval', '0', ...serveArgs], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env, FOOTPRINT_MEMORY_PROBE: file },
  });
  try {
    await serveListening(child);
    const scansMs = [];
    const wallsMs = [];
    const scrapesMs = [];
    const curve = [];
    const floorMs = [];
    let lastWallSeconds = 0;
    const cpuBefore = cpuSeconds(child.pid);
    let cpuFloor = 0;
    for (let index = 1; index <= scrapes; index++) {
      const answer = await scrape(port);
      if (answer.status !== 200) throw new Error(`scrape ${index} answered ${answer.status}`);
      scrapesMs.push(answer.ms);
      scansMs.push(metric(answer.body, 'footprint_scan_duration_seconds') * 1000);
      const wallSeconds = metric(answer.body, 'footprint_scan_seconds_total');
      if (Number.isFinite(wallSeconds)) wallsMs.push((wallSeconds - lastWallSeconds) * 1000);
      lastWallSeconds = wallSeconds;
      if (index % every === 0) {
        const windowScan = median(scansMs.slice(-every));
        const cpuAt = cpuSeconds(child.pid);
        const c = floor(5, 2);
        cpuFloor += cpuSeconds(child.pid) - cpuAt; // serve idles meanwhile: nothing, but counted out to be sure
        floorMs.push(c.medianMs);
        curve.push({ scrapes: index, rssKB: rssKB(child.pid), scanMs: windowScan, floorMs: c.medianMs, processes: c.processes, series: answer.body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length });
        console.log(`  after ${String(index).padStart(5)} scrapes: RSS ${(curve.at(-1).rssKB / 1000).toFixed(1)} MB; scan ${windowScan.toFixed(1)} ms (median of the last ${every}) against the C floor's ${c.medianMs.toFixed(1)} ms = ${(windowScan / c.medianMs).toFixed(2)}x; ${c.processes} processes`);
      }
    }
    const cpu = cpuSeconds(child.pid) - cpuBefore - cpuFloor;
    const memory = await askMemory(child.pid, file);
    return { scrapes, curve, scanMs: median(scansMs), wallMs: median(wallsMs), scrapeMs: median(scrapesMs), floorMs: median(floorMs), cpuMsPerScrape: cpu * 1000 / scrapes, memory, highestKB: Math.max(...curve.map((c) => c.rssKB)) };
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes) => (bytes / 1e6).toFixed(1);

/** The lines of one run: memory part by part, the scan against its floor, the verdicts. */
export function weightReport(label, r) {
  const m = r.memory;
  const rssMB = m.rss / 1e6;
  const ratio = r.scanMs / r.floorMs;
  return [
    `${label}: RSS ${mb(m.rss)} MB after ${r.scrapes} scrapes (highest at a 100th ${(r.highestKB / 1000).toFixed(1)}) = anonymous ${mb(m.rssAnon)} + files ${mb(m.rssFile)}`,
    `  V8 heap ${mb(m.heapUsed)} used of ${mb(m.heapTotal)} (code ${mb(m.spaces.code_space?.size ?? 0)}, young ${mb(m.spaces.new_space?.size ?? 0)}, old ${mb(m.spaces.old_space?.size ?? 0)}), `
      + `external ${mb(m.external)} (ArrayBuffers ${mb(m.arrayBuffers)}), V8 malloced ${mb(m.malloced)}, ${m.threads} threads`,
    `  scrape median ${r.scrapeMs.toFixed(1)} ms; CPU ${r.cpuMsPerScrape.toFixed(0)} ms per scrape; repeated scan ${r.scanMs.toFixed(1)} ms (with the budget's stat pass and the report: ${r.wallMs.toFixed(1)} ms)`,
    `  RSS ${rssMB.toFixed(1)} MB, target <= ${RSS_TARGET_MB}: ${rssMB <= RSS_TARGET_MB ? 'PASS' : 'FAIL'}`,
    `  repeated scan ${r.scanMs.toFixed(1)} ms / C floor (bench/rollupFloor.c, 2 threads) ${r.floorMs.toFixed(1)} ms = ${ratio.toFixed(2)}x, target <= ${SCAN_TARGET_RATIO}: ${ratio <= SCAN_TARGET_RATIO ? 'PASS' : 'FAIL'}`,
  ].join('\n');
}

/** Whether both targets were met. */
export const meetsTargets = (r) => r.memory.rss / 1e6 <= RSS_TARGET_MB && r.scanMs / r.floorMs <= SCAN_TARGET_RATIO;

/** The whole bench: the population, Node's floor, serve scraped; for bench/run.mjs too. */
export async function benchServeWeightWithPopulation({ population = 1000, scrapes = 1000, every = 100, serveArgs = [], nodeArgs = [], env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'footprint-floor-'));
  const { endPopulation, startPopulation } = await import('./population.mjs');
  try {
    const floor = buildFloor(dir);
    if (population > 0) await startPopulation(population, 6);
    console.log(`Node's floor (node -e 'setInterval(() => {}, 1e3)'): RSS ${((await nodeFloorKB()) / 1000).toFixed(1)} MB`);
    const one = floor(15, 1);
    console.log(`C floor on one thread: ${one.medianMs.toFixed(1)} ms for ${one.processes} processes`);
    const result = await benchServeWeight({ floor, scrapes, every, serveArgs, nodeArgs, env });
    console.log(weightReport(`serve ${serveArgs.join(' ')}`.trim(), result));
    return result;
  } finally {
    endPopulation();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const option = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
  const words = (text) => (text === undefined || text === '' ? [] : text.split(' '));
  const result = await benchServeWeightWithPopulation({
    population: Number(option('--population', 1000)), scrapes: Number(option('--scrapes', 1000)), every: Number(option('--every', 100)),
    serveArgs: words(option('--serve-args')), nodeArgs: words(option('--node-args')),
    env: Object.fromEntries(words(option('--env')).map((pair) => pair.split('='))),
  });
  process.exitCode = meetsTargets(result) ? 0 : 1;
}
