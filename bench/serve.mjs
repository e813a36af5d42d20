// The serve part of `npm run bench` (issue 8), run by bench/run.mjs while its
// population of Pythons lives: `footprint serve --min-interval 0` scraped again
// and again, one scrape at a time. Prints the median footprint_scan_duration_seconds
// against one `cat` of every smaps_rollup, and serve's own RSS after the scrapes.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

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
 * (FOOTPRINT_SCAN_THREADS=1: the scan on one thread, for comparison). With
 * `deciles`, serve's memory after each tenth of the scrapes (the soak).
 */
export async function benchServe({ bin, node = process.execPath, scrapes = 100, env = {}, deciles = false }) {
  const port = await freePort();
  const child = spawn(node, [bin, 'serve', '--listen', `127.0.0.1:${port}`, '--min-interval', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env },
  });
  try {
    await new Promise((resolve, reject) => {
      let err = '';
      child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
      child.stderr.on('data', (chunk) => {
        err += chunk;
        if (err.includes('metrics on')) resolve();
      });
    });
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
