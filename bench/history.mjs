// Benchmark for `footprint history` (issue 3): a year of 5-minute reports
// (365 x 288 = 105,120 .json.gz files, 300 groups each) and 30 daily reports.
// Measures wall time and peak RSS of the real CLI with /usr/bin/time, cold
// (index removed) and warm, and prints medians; also `save` into a hard-linked
// copy of the year's directory, as cron would run it there.
//
//   node bench/history.mjs [--rounds N] [--dir DIR] [--bin LAUNCHER]
//   import { runHistoryBench } from './bench/history.mjs'  (for bench/run.mjs)
//
// The generated reports are cached in DIR (default /tmp/footprint-bench-history)
// and reused while less than a week old, so reruns skip the generation.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { median } from './median.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
let BIN = join(ROOT, 'bin', 'footprint.js');
const DAY = 86_400_000;
const STEP = 5 * 60_000;
const GROUPS = 300;
const VARIANTS_PER_DAY = 8;
const CACHE_FORMAT = 'footprint-bench-history/1';
const CACHE_MAX_AGE = 7 * DAY;

/** A deterministic pseudo-random sequence, so that every run generates the same data. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 2 ** 32;
  };
}

const NAMES = Array.from({ length: GROUPS }, (_, index) => {
  const base = ['postgres', 'nginx', 'python3 app.py', 'node server.js', 'java', 'redis-server', 'sshd', 'systemd', 'chrome', 'bash'];
  return index < base.length ? base[index] : `${base[index % base.length].split(' ')[0]}-worker-${index}`;
});

/** One report: figures drift over the year (index 0 leaks slowly), pids and time as a real save would write. */
function makeReport(timeMs, dayIndex, variant) {
  const next = random(dayIndex * 97 + variant * 13 + 1);
  const groups = NAMES.map((name, index) => {
    const count = index % 7 === 0 ? 1 + Math.floor(next() * 8) : 1;
    const pids = Array.from({ length: count }, (_, pid) => 1000 + index * 17 + pid);
    const baseKiB = Math.round((400_000 / (index + 1)) * (1 + 0.1 * Math.sin(dayIndex / 9 + index)));
    const leakKiB = index === 0 ? dayIndex * 900 : 0;
    const writable = (baseKiB + leakKiB + Math.floor(next() * 2000)) * 1024;
    const privateClean = Math.floor(next() * 5000) * 1024;
    const shared = Math.floor(next() * 20000) * 1024;
    const privateBytes = writable + privateClean;
    return {
      name, count, pids, writable, privateClean, private: privateBytes, shared, ram: privateBytes + shared,
      pss: privateBytes + shared, rss: privateBytes + shared * 3, swap: index % 5 === 0 ? Math.floor(next() * 1000) * 1024 : 0,
      estimated: false,
    };
  });
  const sum = (field) => groups.reduce((total, group) => total + group[field], 0);
  return {
    schema: 'footprint.report/1', tool: 'footprint 0.1.0', host: 'bench-host', kernel: '6.1.0-bench',
    time: new Date(timeMs).toISOString(), source: 'smaps_rollup', groupBy: 'program',
    scan: { seen: 420, measured: 380, kernelThreads: 35, denied: 0, gone: 2, zombies: 3, estimated: 0, ms: 48 },
    groups,
    totals: { count: sum('count'), writable: sum('writable'), private: sum('private'), shared: sum('shared'), ram: sum('ram'), pss: sum('pss'), rss: sum('rss'), swap: sum('swap') },
    system: { memTotal: 64 * 2 ** 30, memAvailable: 40 * 2 ** 30, used: 24 * 2 ** 30, shmem: 2 ** 28, accounted: sum('ram') },
  };
}

function reportName(timeMs) {
  const iso = new Date(timeMs).toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z.json.gz`;
}

/** Writes `days` days of reports every `stepMs` ending at `endMs`; gzips a few variants per day and reuses them. */
function generate(dir, days, stepMs, endMs) {
  const marker = join(dir, '.bench-complete');
  const wanted = `${CACHE_FORMAT} ${days} ${stepMs}`;
  if (existsSync(marker)) {
    const [format, madeAt] = readFileSync(marker, 'utf8').split('\n');
    if (format === wanted && endMs - Number(madeAt) < CACHE_MAX_AGE) return { cached: true, files: countFiles(dir) };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const start = endMs - days * DAY + stepMs;
  let files = 0;
  let sampleSize = 0;
  for (let day = 0; day < days; day++) {
    const dayStart = start + day * DAY;
    const variants = Array.from({ length: Math.min(VARIANTS_PER_DAY, Math.round(DAY / stepMs)) }, (_, variant) =>
      gzipSync(JSON.stringify(makeReport(dayStart, day, variant)) + '\n'));
    sampleSize = variants[0].length;
    for (let time = dayStart, index = 0; time < dayStart + DAY && time <= endMs; time += stepMs, index++) {
      writeFileSync(join(dir, reportName(time)), variants[index % variants.length]);
      files++;
    }
  }
  writeFileSync(marker, `${wanted}\n${endMs}\n`);
  return { cached: false, files, sampleSize };
}

function countFiles(dir) {
  return Number(execFileSync('sh', ['-c', `ls "${dir}" | grep -c 'json.gz$'`]).toString().trim());
}

/** Wall seconds and peak RSS (MB) of one CLI run, from /usr/bin/time. */
function measure(args) {
  const result = spawnSync('/usr/bin/time', ['-f', 'BENCH %e %M %U %S', process.execPath, BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const line = result.stderr.split('\n').find((text) => text.startsWith('BENCH '));
  if (result.status !== 0 || !line) throw new Error(`footprint ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(0, 500)}`);
  const [, seconds, kib, user, system] = line.split(' ');
  // CPU seconds (all threads): unlike wall time, barely moved by other load on the machine.
  return { seconds: Number(seconds), peakMB: Number(kib) / 1024, cpuSeconds: Number(user) + Number(system) };
}


function summarise(label, runs) {
  return {
    label, rounds: runs.length, seconds: median(runs.map((run) => run.seconds)), peakMB: median(runs.map((run) => run.peakMB)),
    cpuSeconds: median(runs.map((run) => run.cpuSeconds)), runs,
  };
}

export async function runHistoryBench({ rounds = 3, dir = join(tmpdir(), 'footprint-bench-history'), log = console.log } = {}) {
  const now = Date.now();
  const yearDir = join(dir, 'year-5min');
  const monthDir = join(dir, 'month-daily');
  let started = Date.now();
  const year = generate(yearDir, 365, STEP, now);
  log(`launcher: ${BIN}`);
  log(`year of 5-minute reports: ${year.files} files in ${yearDir} (${year.cached ? 'cached' : `generated in ${((Date.now() - started) / 1000).toFixed(1)} s, ${year.sampleSize} bytes each`})`);
  started = Date.now();
  const month = generate(monthDir, 30, DAY, now);
  log(`30 daily reports: ${month.files} files in ${monthDir} (${month.cached ? 'cached' : 'generated'})`);

  const yearArgs = ['history', '--since', '365d', '--dir', yearDir];
  const monthArgs = ['history', '--since', '30d', '--dir', monthDir];
  const cold = [], warm = [], monthCold = [], monthWarm = [], startup = [];
  for (let round = 0; round < rounds; round++) {
    rmSync(join(yearDir, '.footprint-index'), { recursive: true, force: true });
    cold.push(measure(yearArgs));
    warm.push(measure(yearArgs));
    const show = (run) => `${run.seconds} s (${run.cpuSeconds.toFixed(1)} s CPU) ${run.peakMB.toFixed(0)} MB`;
    log(`round ${round + 1} (load ${loadavg()[0].toFixed(2)}): 365d cold ${show(cold.at(-1))}, warm ${show(warm.at(-1))}`);
  }
  for (let round = 0; round < Math.max(rounds, 5); round++) {
    rmSync(join(monthDir, '.footprint-index'), { recursive: true, force: true });
    monthCold.push(measure(monthArgs));
    monthWarm.push(measure(monthArgs));
    startup.push(measure(['--version']));
  }
  // save, as cron runs it every 5 minutes, into a directory holding the year (a
  // hard-linked copy, so the cached reports stay as they are). The first save
  // indexes today's reports; the rounds after it are the steady state.
  const saveDir = join(dir, 'save-into-year');
  rmSync(saveDir, { recursive: true, force: true });
  execFileSync('cp', ['-al', yearDir, saveDir]);
  const saveArgs = ['save', '--dir', saveDir, '--keep', '366d'];
  measure(saveArgs);
  const saves = [];
  for (let round = 0; round < Math.max(rounds, 5); round++) saves.push(measure(saveArgs));
  rmSync(saveDir, { recursive: true, force: true });
  const results = {
    yearFiles: year.files,
    save: summarise('save --keep 366d into the year\'s directory', saves),
    cold: summarise('history --since 365d, index missing', cold),
    warm: summarise('history --since 365d, index current', warm),
    monthCold: summarise('history --since 30d (30 daily reports), index missing', monthCold),
    monthWarm: summarise('history --since 30d (30 daily reports), index current', monthWarm),
    startup: summarise('footprint --version', startup),
  };
  log('');
  log(`${'median of rounds'.padEnd(58)}  wall s   CPU s  peak RSS MB`);
  for (const key of ['cold', 'warm', 'monthCold', 'monthWarm', 'save', 'startup']) {
    const entry = results[key];
    log(`${entry.label.padEnd(58)} ${entry.seconds.toFixed(2).padStart(7)} ${entry.cpuSeconds.toFixed(2).padStart(7)} ${entry.peakMB.toFixed(0).padStart(8)}`);
  }
  const beyond = (entry) => entry.seconds - results.startup.seconds;
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  const yearVerdict = (entry) => verdict(entry.seconds <= 30 && entry.peakMB <= 250);
  results.monthBeyondStartup = { cold: beyond(results.monthCold), warm: beyond(results.monthWarm) };
  results.loadAverage = loadavg();
  log('');
  log(`load average at the end: ${results.loadAverage.map((value) => value.toFixed(2)).join(', ')} (${cpus().length} CPUs; figures are only comparable when it is low)`);
  log(`      365d, index missing, needs ${results.cold.cpuSeconds.toFixed(1)} s of CPU: about ${(results.cold.cpuSeconds / cpus().length).toFixed(1)} s wall with all ${cpus().length} CPUs free`);
  log(`${yearVerdict(results.cold)}  365d, index missing: ${results.cold.seconds.toFixed(2)} s, ${results.cold.peakMB.toFixed(0)} MB (target <= 30 s, <= 250 MB)`);
  log(`${yearVerdict(results.warm)}  365d, index current: ${results.warm.seconds.toFixed(2)} s, ${results.warm.peakMB.toFixed(0)} MB (target <= 30 s, <= 250 MB)`);
  for (const key of ['cold', 'warm']) {
    const seconds = results.monthBeyondStartup[key];
    log(`${verdict(seconds <= 1)}  30 daily reports beyond start-up, index ${key === 'cold' ? 'missing' : 'current'}: ${seconds.toFixed(2)} s (target <= 1 s)`);
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  // --bin another launcher of the same dist/, e.g. to compare V8 flags set in bin/footprint.js.
  if (option('--bin')) BIN = option('--bin');
  await runHistoryBench({ rounds: Number(option('--rounds') ?? 3), dir: option('--dir') });
}
