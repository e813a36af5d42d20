// `footprint files` machine-wide against `smem -m` (Debian's smem: every mapped
// file, summed over the processes' full smaps), issue 23: the median of ROUNDS
// wall times of each, run in turns so that a load that comes and goes falls on
// both, over the machine as it is plus a population of Python processes shaped
// like real programs (bench/population.py, as `npm run bench` uses). Prints the
// medians, the ratio and PASS/FAIL against the target; exit 1 on FAIL.
//
//   node bench/files.mjs [--rounds N=5] [--population N=300 | --no-population]   (after npm run build)
//
// The population is ended by PID at the end, also on an error or Ctrl-C.
import { spawnSync } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endPopulation, startPopulation } from './population.mjs';
import { median } from './median.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(ROOT, 'bin', 'footprint.js');
const SMEM = '/usr/bin/smem';
const TIME = '/usr/bin/time';
const TARGET = 0.5; // footprint files / smem -m

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer`);
  return value;
}
const ROUNDS = option('--rounds', 5);
const POPULATION = process.argv.includes('--no-population') ? 0 : option('--population', 300);

if (!existsSync(SMEM)) {
  console.log(`files: ${SMEM} is missing (apt-get install -y smem): skipped`);
  process.exit(0);
}

process.on('exit', () => endPopulation({ wait: false }));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    endPopulation();
    process.exit(130);
  });
}

const devNull = openSync('/dev/null', 'w');
/** Wall milliseconds of one run, its output thrown away; a failure stops the bench. */
function timeOnce(command, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', devNull, 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Peak RSS (KiB, /usr/bin/time's %M) of one untimed run. */
function peakKiB(command, args) {
  if (!existsSync(TIME)) return undefined;
  const result = spawnSync(TIME, ['-f', '%M', command, ...args], { stdio: ['ignore', devNull, 'pipe'], encoding: 'utf8' });
  const last = result.stderr.trim().split('\n').pop();
  return /^\d+$/.test(last ?? '') ? Number(last) : undefined;
}

/** What the machine holds while the bench runs: processes and mappings (smaps header lines are what both tools parse). */
function machineShape() {
  const run = spawnSync(process.execPath, [BIN, 'files', '--json', '-n', '1'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) return 'unknown';
  const document = JSON.parse(run.stdout);
  const skipped = Object.entries(document.processes.skipped).filter(([, count]) => count > 0).map(([reason, count]) => `${reason} ${count}`).join(', ');
  return `${document.processes.read} processes read${skipped === '' ? '' : ` (left out: ${skipped})`}, ${document.total.rows} rows`;
}

try {
  if (POPULATION > 0) {
    process.stdout.write(`files: starting ${POPULATION} Python processes (bench/population.py) ... `);
    await startPopulation(POPULATION, 6);
    console.log('ready');
  }
  console.log(`files: ${machineShape()}; ${ROUNDS} rounds, each footprint files then smem -m`);
  const footprintMs = [];
  const smemMs = [];
  for (let round = 0; round < ROUNDS; round++) {
    footprintMs.push(timeOnce(process.execPath, [BIN, 'files']));
    smemMs.push(timeOnce(SMEM, ['-m']));
    console.log(`  round ${round + 1}: footprint files ${footprintMs.at(-1).toFixed(0)} ms, smem -m ${smemMs.at(-1).toFixed(0)} ms`);
  }
  const ours = median(footprintMs);
  const theirs = median(smemMs);
  const ratio = ours / theirs;
  const ourPeak = peakKiB(process.execPath, [BIN, 'files']);
  const theirPeak = peakKiB(SMEM, ['-m']);
  console.log(`files: footprint files median ${ours.toFixed(0)} ms${ourPeak === undefined ? '' : ` (peak RSS ${(ourPeak / 1024).toFixed(1)} MiB)`}; `
    + `smem -m median ${theirs.toFixed(0)} ms${theirPeak === undefined ? '' : ` (peak RSS ${(theirPeak / 1024).toFixed(1)} MiB)`}`);
  const pass = ratio <= TARGET;
  console.log(`files: ratio ${ratio.toFixed(2)}x (target <= ${TARGET}x) ${pass ? 'PASS' : 'FAIL'}`);
  process.exitCode = pass ? 0 : 1;
} finally {
  endPopulation();
}
