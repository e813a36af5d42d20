// The report's scan time (issue 12: bounded reads must not slow it), live and on
// a captured tree, for this build against another (`--vs HOME`, a directory
// holding bin/ and dist/ of the build to compare with, e.g. one of main).
// Each round runs every command once, in turn (A B A B ...), so that a machine
// whose speed drifts moves both alike; prints the medians of the scan's own
// duration (`scan.ms` of --json) and of the whole command's wall time.
//
//   node bench/reportScan.mjs [--rounds N] [--vs HOME]
//
// The captured tree is made with `footprint capture` into a temporary directory
// and removed at the end. Live scans run as root (the read-ahead path) and as
// nobody (one thread, no read-ahead), from a world-readable copy when needed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const at = (name) => process.argv.indexOf(name);
const ROUNDS = at('--rounds') > 0 ? Number(process.argv[at('--rounds') + 1]) : 21;
const VS = at('--vs') > 0 ? process.argv[at('--vs') + 1] : undefined;
const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];


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
  spawnSync('chmod', ['-R', 'a+rX', scratch]);
  const tree = join(scratch, 'capture');
  const capture = spawnSync(process.execPath, [runnable.this, 'capture', tree], { encoding: 'utf8' });
  if (capture.status !== 0) throw new Error(`capture failed: ${capture.stderr}`);
  const cases = {
    'live, root': [],
    'live, nobody': AS_NOBODY,
    'captured tree': [],
  };
  const figures = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, prefix] of Object.entries(cases)) {
      for (const [name, bin] of Object.entries(runnable)) {
        const args = label === 'captured tree' ? ['--json', '--proc-root', join(tree, 'proc')] : ['--json'];
        const command = [...prefix, process.execPath, bin, ...args];
        const started = process.hrtime.bigint();
        const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8', cwd: '/', maxBuffer: 64 * 1024 * 1024 });
        const wall = Number(process.hrtime.bigint() - started) / 1e6;
        if (result.status !== 0) throw new Error(`${command.join(' ')} exited ${result.status}: ${result.stderr}`);
        const report = JSON.parse(result.stdout);
        const key = `${label} | ${name}`;
        figures[key] ??= { scan: [], wall: [], processes: report.scan.seen };
        figures[key].scan.push(report.scan.ms);
        figures[key].wall.push(wall);
      }
    }
  }
  console.log(`report scan, ${ROUNDS} rounds, medians (ms)`);
  for (const [key, { scan, wall, processes }] of Object.entries(figures)) {
    console.log(`  ${key.padEnd(26)} scan ${String(median(scan)).padStart(5)}  wall ${median(wall).toFixed(0).padStart(5)}  (${processes} processes)`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
