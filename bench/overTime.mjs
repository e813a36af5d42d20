// The over-time part of `npm run bench` (issue 7): what `footprint run` adds to
// a command, what one sample of a 20-process tree costs, footprint's own CPU
// while it samples, and whether a long `watch` of the whole machine keeps its
// own memory flat. Public tools only: node, cc, /bin/true, /proc.
//
//   node bench/overTime.mjs [--rounds N] [--watch-minutes M] [--no-watch]
//
// The test processes are test/fixtures/memscript.c, compiled here with cc; every
// process started here is ended by its PID.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(ROOT, 'bin', 'footprint.js');
const NODE = process.execPath;

const TARGETS = { runAddsMs: 40, sampleMs: 2, cpuShare: 0.05, watchGrowthMB: 2, spikeCaught: 5, spikeShare: 0.95 };

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}
const ROUNDS = option('--rounds', 15);
const WATCH_MINUTES = process.argv.includes('--no-watch') ? 0 : option('--watch-minutes', 10);

const devNull = openSync('/dev/null', 'w');
const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

function timeOnce(file, args, env = process.env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, { stdio: ['ignore', devNull, devNull], env });
  if (result.error) throw result.error;
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** footprint run with FOOTPRINT_RUN_STATS=1: its figures of the sampling itself. */
function runStats(command, options = []) {
  const result = spawnSync(NODE, [BIN, 'run', ...options, '--', ...command], { encoding: 'utf8', env: { ...process.env, FOOTPRINT_RUN_STATS: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const line = /^footprint run-stats (.*)$/m.exec(result.stderr);
  if (result.status !== 0 || line === null) throw new Error(`footprint run ${command.join(' ')}: ${result.stderr.trim().split('\n')[0]}`);
  return JSON.parse(line[1]);
}

function compileMemscript(dir) {
  const binary = join(dir, 'memscript');
  let cc = spawnSync('cc', ['-O1', '-static', '-o', binary, join(ROOT, 'test', 'fixtures', 'memscript.c')], { encoding: 'utf8' });
  if (cc.status !== 0) cc = spawnSync('cc', ['-O1', '-o', binary, join(ROOT, 'test', 'fixtures', 'memscript.c')], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc: ${cc.stderr}`);
  return binary;
}

function rssKB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)[1]);
}

/** A `watch` of the whole machine at 100 ms for `minutes`: its RSS every 5 s. */
async function watchRss(minutes) {
  const child = spawn(NODE, [BIN, 'watch', '--interval', '100ms', '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const points = [];
  const stop = () => { try { child.kill('SIGTERM'); } catch { /* gone */ } };
  process.on('exit', stop);
  try {
    const endAt = Date.now() + minutes * 60_000;
    while (Date.now() < endAt) {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      points.push({ s: (points.length + 1) * 5, kB: rssKB(child.pid) });
      process.stderr.write(`\rwatch: ${Math.round((points.length * 5) / 60 * 10) / 10} of ${minutes} min, RSS ${(points.at(-1).kB / 1000).toFixed(1)} MB   `);
    }
  } finally {
    stop();
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve)));
    process.off('exit', stop);
    process.stderr.write('\n');
  }
  return points;
}

export async function runOverTimeBench() {
  const dir = mkdtempSync(join(tmpdir(), 'footprint-bench-overtime-'));
  const rows = [];
  try {
    const memscript = compileMemscript(dir);
    // 1. What `run` adds to a command that does nothing: paired, round by round.
    const runTimes = [];
    const trueTimes = [];
    const nodeTimes = [];
    timeOnce(NODE, [BIN, 'run', '--', '/bin/true']);
    for (let round = 0; round < ROUNDS; round++) {
      runTimes.push(timeOnce(NODE, [BIN, 'run', '--', '/bin/true']));
      trueTimes.push(timeOnce('/bin/true', []));
      nodeTimes.push(timeOnce(NODE, ['-e', '0']));
    }
    const added = median(runTimes) - median(trueTimes);
    const startup = median(Array.from({ length: 5 }, () => runStats(['/bin/true']).startupMs));
    console.log(`run -- true: ${median(runTimes).toFixed(1)} ms, true alone ${median(trueTimes).toFixed(1)} ms, node -e 0 ${median(nodeTimes).toFixed(1)} ms; `
      + `footprint starts CMD ${startup.toFixed(1)} ms after node starts (medians of ${ROUNDS})`);
    rows.push(['run -- true, added to true (wall, medians)', `${added.toFixed(1)} ms`, `<= ${TARGETS.runAddsMs}`, verdict(added <= TARGETS.runAddsMs)]);
    // No Node.js program starts faster than node -e 0: what footprint itself adds is the rest.
    const beyondNode = added - median(nodeTimes);
    rows.push(['  of which node -e 0 alone', `${median(nodeTimes).toFixed(1)} ms`, '', '']);
    rows.push(['run -- true, added beyond node -e 0', `${beyondNode.toFixed(1)} ms`, `<= ${TARGETS.runAddsMs}`, verdict(beyondNode <= TARGETS.runAddsMs)]);
    // Issue 13: what the run's own memory cgroup (as root) and --mark's RE2 engine add to start-up, paired.
    const noCgroupTimes = [];
    const markTimes = [];
    const pairedRunTimes = [];
    for (let round = 0; round < ROUNDS; round++) {
      pairedRunTimes.push(timeOnce(NODE, [BIN, 'run', '--', '/bin/true']));
      noCgroupTimes.push(timeOnce(NODE, [BIN, 'run', '--no-cgroup', '--', '/bin/true']));
      markTimes.push(timeOnce(NODE, [BIN, 'run', '--mark', 'x', '--', '/bin/true']));
    }
    console.log(`run -- true ${median(pairedRunTimes).toFixed(1)} ms, with --no-cgroup ${median(noCgroupTimes).toFixed(1)} ms, with --mark x ${median(markTimes).toFixed(1)} ms (medians of ${ROUNDS}, paired)`);
    rows.push(['  of which the run\'s cgroup (run - run --no-cgroup)', `${(median(pairedRunTimes) - median(noCgroupTimes)).toFixed(1)} ms`, '', '']);
    rows.push(['  --mark (RE2 loaded): run --mark x - run', `${(median(markTimes) - median(pairedRunTimes)).toFixed(1)} ms`, '', '']);

    // Issue 13: a spike of 300 MiB held 40 ms, with default settings, quiet and beside two CPU hogs.
    for (const hogCount of [0, 2]) {
      const hogs = Array.from({ length: hogCount }, () => spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
      const stop = () => { for (const hog of hogs) { try { hog.kill('SIGKILL'); } catch { /* gone */ } } };
      process.on('exit', stop);
      const peaks = [];
      try {
        for (let round = 0; round < 5; round++) {
          const json = join(dir, `spike-${hogCount}-${round}.json`);
          spawnSync(NODE, [BIN, 'run', '--json', json, '--', memscript, 'w300', 's40', 'u', 's300'], { stdio: ['ignore', devNull, devNull] });
          peaks.push(JSON.parse(readFileSync(json, 'utf8')).peak.writable / (300 * 1024 * 1024));
        }
      } finally {
        stop();
        process.off('exit', stop);
      }
      const caught = peaks.filter((share) => share >= TARGETS.spikeShare).length;
      console.log(`spike of 300 MiB held 40 ms, ${hogCount === 0 ? 'quiet' : 'two CPU hogs'}: peak writable ${peaks.map((share) => `${(share * 100).toFixed(1)}%`).join(' ')} of 300 MiB`);
      rows.push([`spike caught (>= 95% of 300 MiB), ${hogCount === 0 ? 'quiet' : 'two CPU hogs'}`, `${caught}/5`, `${TARGETS.spikeCaught}/5`, verdict(caught >= TARGETS.spikeCaught)]);
    }

    // 2. One sample of a 20-process tree (memscript and 19 children, 1 MiB each).
    const tree = runStats([memscript, 'c19,1,3000']);
    console.log(`20-process tree, 3 s: ${tree.samples} samples, median ${tree.sampleMsMedian.toFixed(2)} ms, max ${tree.sampleMsMax.toFixed(2)} ms`);
    rows.push(['one sample of a 20-process tree (median)', `${tree.sampleMsMedian.toFixed(2)} ms`, `<= ${TARGETS.sampleMs}`, verdict(tree.sampleMsMedian <= TARGETS.sampleMs)]);

    // 3. footprint's own CPU while it samples and probes, at the default interval.
    for (const [label, command] of [['1 process, 15 s', [memscript, 's15000']], ['20 processes, 15 s', [memscript, 'c19,1,15000']]]) {
      const stats = runStats(command);
      const share = stats.selfCpuMs / stats.wallMs;
      console.log(`${label}: ${stats.samples} samples, ${stats.probes} probes, ${stats.selfCpuMs.toFixed(0)} ms of CPU over ${(stats.wallMs / 1000).toFixed(1)} s, intervals up to ${stats.finalIntervalMs} ms`);
      rows.push([`footprint's CPU (probe + sampler), ${label}`, `${(share * 100).toFixed(1)}%`, `<= ${TARGETS.cpuShare * 100}%`, verdict(share <= TARGETS.cpuShare)]);
    }
    // A steady 1 GiB process: writing the 1 GiB is the same in both runs, so the difference of two
    // runs that hold it 15 s and 3 s is what 12 steady seconds cost.
    const long = runStats([memscript, 'w1024', 's15000']);
    const short = runStats([memscript, 'w1024', 's3000']);
    const steadyShare = (long.selfCpuMs - short.selfCpuMs) / (long.wallMs - short.wallMs);
    console.log(`1 GiB held 15 s: ${long.samples} samples (median ${long.sampleMsMedian.toFixed(1)} ms), ${long.probes} probes (median ${(long.probeMsMedian * 1000).toFixed(0)} µs), `
      + `${long.selfCpuMs.toFixed(0)} ms of CPU; held 3 s: ${short.selfCpuMs.toFixed(0)} ms`);
    rows.push(["footprint's CPU (probe + sampler), steady 1 GiB process", `${(steadyShare * 100).toFixed(1)}%`, `<= ${TARGETS.cpuShare * 100}%`, verdict(steadyShare <= TARGETS.cpuShare)]);

    // 4. A long watch of the whole machine keeps its own memory flat.
    if (WATCH_MINUTES > 0) {
      const points = await watchRss(WATCH_MINUTES);
      // V8's heap makes a sawtooth (it grows until a full collection): a leak shows in the floor,
      // the lowest RSS of each stretch of two minutes, as watch's own trend judges it.
      const floorOf = (from, to) => Math.min(...points.filter((p) => p.s > from && p.s <= to).map((p) => p.kB)) / 1000;
      const end = points.at(-1).s;
      const firstFloor = floorOf(0, 120);
      const lastFloor = floorOf(end - 120, end);
      const highest = Math.max(...points.map((p) => p.kB)) / 1000;
      console.log(`watch --interval 100ms of the whole machine for ${WATCH_MINUTES} min: lowest RSS ${firstFloor.toFixed(1)} MB in the first two minutes, `
        + `${lastFloor.toFixed(1)} MB in the last two, highest ${highest.toFixed(1)} MB; every 5 s: ${points.map((p) => (p.kB / 1000).toFixed(0)).join(' ')}`);
      rows.push([`watch RSS floor growth over ${WATCH_MINUTES} min (last - first 2 min)`, `${(lastFloor - firstFloor).toFixed(1)} MB`, `<= ${TARGETS.watchGrowthMB}`, verdict(lastFloor - firstFloor <= TARGETS.watchGrowthMB)]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('');
  console.log(`${'target'.padEnd(56)} ${'measured'.padStart(10)} ${'target'.padStart(8)}  result`);
  for (const [name, value, target, result] of rows) console.log(`${name.padEnd(56)} ${value.padStart(10)} ${target.padStart(8)}  ${result}`);
  return rows.filter((row) => row[3] === 'FAIL').length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const failed = await runOverTimeBench();
  process.exitCode = failed === 0 ? 0 : 1;
}
