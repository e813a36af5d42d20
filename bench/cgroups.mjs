// `footprint cgroups` against a bare `footprint` at a large population (issue 15,
// target <= 1.2x): both scan every process's smaps_rollup once; cgroups also walks
// the memory hierarchy (memory.stat, limits, cgroup.procs of every cgroup) and
// goes through yargs instead of the report's own bundle. The two commands are
// timed in alternation, pair by pair, so that a load that comes and goes falls on
// both; medians of wall time around spawnSync.
//
//   node bench/cgroups.mjs [--population N=1000] [--parents N=10] [--rounds N=9]
//   (after `npm run build`; as root, like the bench's other whole-machine figures)
//
// Exports benchCgroups({ population, parents, rounds, log }) for bench/run.mjs.
// The population (bench/population.py) is ended by PID, also on Ctrl-C or an error;
// it also exits on its own when this script dies (its stdin pipe reaches EOF).
import { spawnSync } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { endPopulation, startPopulation } from './population.mjs';
import { median } from './median.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(ROOT, 'bin', 'footprint.js');
const TARGET = 1.2;


const devNull = openSync('/dev/null', 'w');

function timeOnce(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', devNull, 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`footprint ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

/** { processes, bareMs, cgroupsMs, ratio, pass }: medians of `rounds` alternating pairs, after one warm-up each. */
export async function benchCgroups({ population = 1000, parents = 10, rounds = 9, log = console.log } = {}) {
  try {
    const pids = await startPopulation(population, parents);
    const processes = readFileSync('/proc/loadavg', 'latin1').split(' ')[3];
    log(`cgroups bench: ${pids.length} Pythons started (${processes} tasks running/total)`);
    timeOnce([]);
    timeOnce(['cgroups']);
    const bare = [];
    const cgroups = [];
    for (let round = 0; round < rounds; round++) {
      bare.push(timeOnce([]));
      cgroups.push(timeOnce(['cgroups']));
    }
    const bareMs = median(bare);
    const cgroupsMs = median(cgroups);
    const ratio = cgroupsMs / bareMs;
    const pass = ratio <= TARGET;
    log(`  footprint          ${bareMs.toFixed(0)} ms median of ${rounds}`);
    log(`  footprint cgroups  ${cgroupsMs.toFixed(0)} ms median of ${rounds}`);
    log(`  ratio ${ratio.toFixed(2)} (target <= ${TARGET}): ${pass ? 'PASS' : 'FAIL'}`);
    return { processes: pids.length, bareMs, cgroupsMs, ratio, pass };
  } finally {
    endPopulation();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const option = (name, fallback) => {
    const index = process.argv.indexOf(name);
    if (index < 0) return fallback;
    const value = Number(process.argv[index + 1]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer`);
    return value;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      endPopulation();
      process.exit(130);
    });
  }
  const result = await benchCgroups({ population: option('--population', 1000), parents: option('--parents', 10), rounds: option('--rounds', 9) });
  process.exitCode = result.pass ? 0 : 1;
}
