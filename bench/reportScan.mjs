// The report's scan time (issue 12: bounded reads must not slow it), live and on
// a captured tree, for this build against another (`--vs HOME`, a directory
// holding bin/ and dist/ of the build to compare with, e.g. one of main).
// Each round runs every command once, in turn (A B A B ...), so that a machine
// whose speed drifts moves both alike; prints the medians of the scan's own
// duration (`scan.ms` of --json), of the whole command's wall time, and of its
// CPU (issue 24: the main thread's, and all its threads', from each thread's
// /proc/self/task/TID/schedstat at exit: what a busy machine's wall time hides),
// and with --vs the median of each round's ratio of this build to the other.
//
//   node bench/reportScan.mjs [--rounds N] [--vs HOME] [--live-only]
//
// The captured tree is made with `footprint capture` into a temporary directory
// and removed at the end. Live scans run as root (the read-ahead path) and as
// nobody (one thread, no read-ahead), from a world-readable copy when needed.
// --live-only: only the live scan as root, the one-shot report `footprint` runs.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const at = (name) => process.argv.indexOf(name);
const ROUNDS = at('--rounds') > 0 ? Number(process.argv[at('--rounds') + 1]) : 21;
const VS = at('--vs') > 0 ? process.argv[at('--vs') + 1] : undefined;
const LIVE_ONLY = process.argv.includes('--live-only');
const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

// Preloaded into each run (node --require): at exit, the CPU of its main thread and of all its threads, in ms, on fd 3.
const THREAD_CPU = `const fs = require('node:fs');
process.on('exit', () => {
  let main = 0;
  let all = 0;
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const ms = Number(fs.readFileSync('/proc/self/task/' + tid + '/schedstat', 'utf8').split(' ')[0]) / 1e6;
      all += ms;
      if (tid === String(process.pid)) main = ms;
    } catch {}
  }
  fs.writeSync(3, JSON.stringify({ main, all }));
});
`;

const scratch = mkdtempSync(join(tmpdir(), 'footprint-bench-scan-'));
try {
  // nobody needs to read the builds: world-readable copies of bin/, dist/ and package.json.
  const homes = { this: ROOT, ...(VS === undefined ? {} : { vs: VS }) };
  const runnable = {};
  for (const [name, home] of Object.entries(homes)) {
    const copy = join(scratch, name);
    for (const entry of ['bin', 'dist', 'package.json']) cpSync(join(home, entry), join(copy, entry), { recursive: true });
    runnable[name] = join(copy, 'bin', 'footprint.js');
  }
  const threadCpu = join(scratch, 'threadCpu.cjs');
  writeFileSync(threadCpu, THREAD_CPU);
  spawnSync('chmod', ['-R', 'a+rX', scratch]);
  const tree = join(scratch, 'capture');
  if (!LIVE_ONLY) {
    const capture = spawnSync(process.execPath, [runnable.this, 'capture', tree], { encoding: 'utf8' });
    if (capture.status !== 0) throw new Error(`capture failed: ${capture.stderr}`);
  }
  const cases = LIVE_ONLY ? { 'live, root': [] } : {
    'live, root': [],
    'live, nobody': AS_NOBODY,
    'captured tree': [],
  };
  const figures = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, prefix] of Object.entries(cases)) {
      for (const [name, bin] of Object.entries(runnable)) {
        const args = label === 'captured tree' ? ['--json', '--proc-root', join(tree, 'proc')] : ['--json'];
        const command = [...prefix, process.execPath, '--require', threadCpu, bin, ...args];
        const started = process.hrtime.bigint();
        const result = spawnSync(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], cwd: '/', maxBuffer: 64 * 1024 * 1024 });
        const wall = Number(process.hrtime.bigint() - started) / 1e6;
        if (result.status !== 0) throw new Error(`${command.join(' ')} exited ${result.status}: ${result.stderr}`);
        const report = JSON.parse(result.stdout.toString());
        const cpu = JSON.parse(result.output[3].toString());
        const key = `${label} | ${name}`;
        figures[key] ??= { scan: [], wall: [], main: [], all: [], processes: report.scan.seen };
        figures[key].scan.push(report.scan.ms);
        figures[key].wall.push(wall);
        figures[key].main.push(cpu.main);
        figures[key].all.push(cpu.all);
      }
    }
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`report scan, ${ROUNDS} rounds, medians (ms; CPU: the main thread's, all threads'); load average at the end ${load}`);
  for (const [key, { scan, wall, main, all, processes }] of Object.entries(figures)) {
    console.log(`  ${key.padEnd(26)} scan ${String(median(scan)).padStart(5)}  wall ${median(wall).toFixed(0).padStart(5)}  `
      + `CPU ${median(main).toFixed(0).padStart(5)} / ${median(all).toFixed(0).padStart(5)}  (${processes} processes)`);
  }
  if (VS !== undefined) {
    console.log('this build / --vs, medians of each round\'s ratio:');
    for (const label of Object.keys(cases)) {
      const mine = figures[`${label} | this`];
      const theirs = figures[`${label} | vs`];
      const ratio = (field) => median(mine[field].map((value, round) => value / theirs[field][round])).toFixed(3);
      console.log(`  ${label.padEnd(26)} scan ${ratio('scan')}  wall ${ratio('wall')}  CPU main ${ratio('main')}  all ${ratio('all')}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
