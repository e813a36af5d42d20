// What the cgroup families cost a scrape (issue 15, item 4): `export` of a
// captured /proc with a synthetic captured v2 tree of --cgroups N cgroups
// (copies of snapshots/cgroup-v2-6.6's nginx.service files: 20 slices of N/20
// services each) against the same export without cgroups, in alternation.
// Prints the medians and the difference per cgroup. Both read the kill
// counters of every cgroup; the families cover --cgroup-depth 2 (all of these).
//
//   node bench/cgroupMetrics.mjs [--cgroups N] [--rounds N]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(ROOT, 'bin', 'footprint.js');
const SOURCE = join(ROOT, 'snapshots', 'cgroup-v2-6.6', 'cgroup');
const PROC = join(ROOT, 'snapshots', 'kernel-thread', 'proc');

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
}
const CGROUPS = option('--cgroups', 500);
const ROUNDS = option('--rounds', 9);

function copyFiles(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) if (entry.isFile()) copyFileSync(join(from, entry.name), join(to, entry.name));
}

const tree = mkdtempSync(join(tmpdir(), 'footprint-bench-cgroups-'));
try {
  copyFiles(SOURCE, tree);
  const slices = 20;
  for (let slice = 0; slice < slices; slice++) {
    const sliceDir = join(tree, `s${slice}.slice`);
    copyFiles(join(SOURCE, 'system.slice'), sliceDir);
    for (let service = 0; service < CGROUPS / slices - 1; service++) copyFiles(join(SOURCE, 'system.slice', 'nginx.service'), join(sliceDir, `n${service}.service`));
  }
  const time = (args) => {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [BIN, 'export', '--proc-root', PROC, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, series: result.stdout.split('\n').filter((line) => line.startsWith('footprint_cgroup_') || line.startsWith('footprint_oom_')).length };
  };
  const bare = [];
  const withCgroups = [];
  let series = 0;
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(time([]).ms);
    const run = time(['--cgroup-root', tree, '--cgroup-depth', String(option('--depth', 2))]);
    withCgroups.push(run.ms);
    series = run.series;
  }
  const [b, c] = [median(bare), median(withCgroups)];
  console.log(`export, ${ROUNDS} rounds: without cgroups ${b.toFixed(1)} ms, with ${CGROUPS} cgroups (${series} cgroup series) ${c.toFixed(1)} ms: +${(c - b).toFixed(1)} ms, ${(((c - b) / CGROUPS) * 1000).toFixed(0)} µs a cgroup (medians)`);
} finally {
  rmSync(tree, { recursive: true, force: true });
}
