// What the System block's cgroup holders cost a bare `footprint` (issue 15,
// item 3) on a host of many cgroups: N empty memory cgroups made under
// footprint's own (v1 here; as root), a report timed with them and without
// them, in blocks that alternate so that a load that comes and goes falls on
// both. The search reads only the subtrees that could hold a top-three cgroup:
// an empty subtree costs one memory.stat read however wide it is (a full walk
// of the hierarchy cost 40 ms at 300 here). Medians of wall time around spawnSync.
//
//   node bench/cgroupHolders.mjs [--cgroups N=300] [--rounds N=8]   (after npm run build, as root)
//
// The cgroups are removed at the end, also on an error or Ctrl-C.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(ROOT, 'bin', 'footprint.js');
const MOUNT = '/sys/fs/cgroup/memory';

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
}
const CGROUPS = option('--cgroups', 300);
const ROUNDS = option('--rounds', 8);
const PER_BLOCK = 5;

if (process.getuid?.() !== 0 || !existsSync(join(MOUNT, 'memory.stat'))) {
  console.log('cgroupHolders: needs root and the v1 memory controller at /sys/fs/cgroup/memory: skipped');
  process.exit(0);
}
const line = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((entry) => entry.split(':')[1]?.split(',').includes('memory'));
const own = line === undefined ? '/' : line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
const parent = join(MOUNT, own, `footprint-bench-holders-${process.pid}`);
const children = Array.from({ length: CGROUPS }, (_, i) => join(parent, `c${i}`));

function make() {
  mkdirSync(parent);
  for (const child of children) mkdirSync(child);
}
function remove() {
  for (const child of children) if (existsSync(child)) rmdirSync(child);
  if (existsSync(parent)) rmdirSync(parent);
}
process.once('SIGINT', () => {
  remove();
  process.exit(130);
});

const devNull = openSync('/dev/null', 'w');
function timeOnce() {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, '--json'], { stdio: ['ignore', devNull, 'pipe'] });
  if (result.status !== 0) throw new Error(`footprint --json exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const withThem = [];
const without = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    make();
    for (let i = 0; i < PER_BLOCK; i++) withThem.push(timeOnce());
    remove();
    for (let i = 0; i < PER_BLOCK; i++) without.push(timeOnce());
  }
} finally {
  remove();
}
const [a, b] = [median(withThem), median(without)];
console.log(`footprint --json with ${CGROUPS} empty memory cgroups: ${a.toFixed(1)} ms, without: ${b.toFixed(1)} ms (medians of ${withThem.length}); ratio ${(a / b).toFixed(3)}`);
