// What one exact read costs against the resident size (docs/budget.md, "Figures measured"):
// test/fixtures/growingHog.c holding N MiB touched in 4 KiB pages, and for each size the
// median and p90 of ROUNDS reads of its smaps_rollup (open, read, close, as the scan does),
// of its stat, status and statm (the cheap figures; stat the scan reads anyway), of one `cat` of smaps_rollup (a process of
// its own: spawn included), and footprint's own scan time of that one process
// (`footprint -p PID --json`, its scan.ms). Not a test: run it by hand, `npm run build` first.
//
//   node test/budget/measureReadCost.mjs [MIB,MIB,...] [ROUNDS]
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sizes = (process.argv[2] ?? '0,256,1024,2048,4096').split(',').map(Number);
const rounds = Number(process.argv[3] ?? 15);
const root = fileURLToPath(new URL('../..', import.meta.url));

const dir = join(tmpdir(), 'footprint-budget-measure');
mkdirSync(dir, { recursive: true });
const binary = join(dir, 'growingHog');
const cc = spawnSync('cc', ['-O1', '-o', binary, join(root, 'test/fixtures/growingHog.c')], { encoding: 'utf8' });
if (cc.status !== 0) throw new Error(cc.stderr);

const buffer = Buffer.allocUnsafe(64 * 1024);
/** ms of one open+read+close of a /proc file. */
function timedRead(path) {
  const started = process.hrtime.bigint();
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function timedCat(path) {
  const started = process.hrtime.bigint();
  spawnSync('cat', [path], { stdio: ['ignore', 'ignore', 'inherit'] });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function footprintScanMs(pid) {
  const run = spawnSync(process.execPath, [join(root, 'bin/footprint.js'), '-p', String(pid), '--json'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout).scan.ms;
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const show = (values) => `${quantile(values, 0.5).toFixed(3)} / ${quantile(values, 0.9).toFixed(3)}`;

function startHog(mib) {
  const child = spawn(binary, [String(mib)], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`growingHog exited ${code}`)));
    child.stdout.once('data', (chunk) => {
      const match = /ready pid=(\d+)/.exec(chunk.toString());
      if (match === null) reject(new Error(`growingHog said ${chunk}`));
      else resolve({ child, pid: Number(match[1]) });
    });
  });
}

console.log(`rounds=${rounds} load=${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('MiB\tRssAnon kB\trollup ms (median / p90)\tms per GiB\tstat ms\tstatus ms\tstatm ms\tcat ms\tfootprint scan ms');
for (const mib of sizes) {
  const { child, pid } = await startHog(mib);
  try {
    const rssAnon = /RssAnon:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1];
    timedRead(`/proc/${pid}/smaps_rollup`);
    const rollup = [];
    const stat = [];
    const status = [];
    const statm = [];
    const cat = [];
    const scan = [];
    for (let round = 0; round < rounds; round++) {
      rollup.push(timedRead(`/proc/${pid}/smaps_rollup`));
      stat.push(timedRead(`/proc/${pid}/stat`));
      status.push(timedRead(`/proc/${pid}/status`));
      statm.push(timedRead(`/proc/${pid}/statm`));
      cat.push(timedCat(`/proc/${pid}/smaps_rollup`));
      scan.push(footprintScanMs(pid));
    }
    const perGiB = mib >= 256 ? (quantile(rollup, 0.5) / (Number(rssAnon) / 1024 / 1024)).toFixed(2) : '-';
    console.log([mib, rssAnon, show(rollup), perGiB, show(stat), show(status), show(statm), show(cat), show(scan)].join('\t'));
  } finally {
    child.stdin.end();
    child.kill('SIGKILL');
  }
}
