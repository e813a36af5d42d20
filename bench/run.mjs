// `npm run bench` (issue 2, "Speed and size"): footprint against smem, smemstat,
// `node -e 0` and a bare `cat` of every smaps_rollup, over a population shaped
// like real programs (bench/population.py: python3 processes that import json and
// ssl and hold 2 MiB each), and footprint with each report option against a bare
// footprint (issue 6). Prints medians, ratios and PASS/FAIL per target, then
// runs bench/history.mjs (issue 3) if it is there.
//
//   node bench/run.mjs [--rounds N] [--population N] [--parents N] [--no-history] [--history-rounds N]
//                      [--no-overtime] [--watch-minutes M] [--no-watch]
//                      [--soak-scrapes N | --no-soak] [--large-population N | --no-large]
//                      [--no-cgroups] [--no-hostile] [--no-serve-weight] [--no-files] [--no-shmem]
//   (npm run bench -- --no-history: only this part, about 1.5 minutes; the history
//   part, about 70 s a round on this machine, runs 3 rounds unless told otherwise)
//
// Wall times are measured here around spawnSync (the same overhead for every
// command). footprint's peak RSS is /usr/bin/time's %M (VmHWM of the whole
// process, exit included); its Private_Dirty at the end of the scan is what
// FOOTPRINT_SELF_REPORT=1 makes it print to stderr (src/cli/selfReport.ts). Those
// two come from extra runs, one per round, that are not timed.
//
// Every process started here is ended by PID (never by name), also on Ctrl-C or
// an error; the population also exits on its own if this script dies, because
// its shared stdin pipe then reaches EOF.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { endPopulation, startPopulation } from './population.mjs';
import { median } from './median.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(ROOT, 'bin', 'footprint.js');
const HISTORY = join(ROOT, 'bench', 'history.mjs');
const NODE = process.execPath;
const SMEM = '/usr/bin/smem';
const SMEMSTAT = '/usr/bin/smemstat';
const TIME = '/usr/bin/time';

const TARGETS = {
  vsSmem: 0.45, // footprint / smem
  vsFloor: 1.2, // footprint / (node -e 0 + cat)
  optionsVsBare: 1.05, // footprint OPTIONS / footprint, for every report-only invocation (issue 6)
  peakRssMB: 60,
  privateDirtyMB: 20,
  serveScanVsCat: 0.5, // footprint_scan_duration_seconds of repeated scrapes / one cat (issue 8)
  serveRssMB: 80,
  attackScrapeMs: 1000, // a real scrape while 100 clients pipeline and never read (issue 12)
  soakGrowthMB: 5, // serve's RSS, last three tenths of the soak's scrapes against the first three (medians)
  // At LARGE_POPULATION Pythons (issue 24 item 5): bare footprint / ps_mem, / smemstat, / (node -e 0 + cat of every smaps_rollup).
  largeVsPeer: { ps_mem: 0.7, smemstat: 0.5 },
  largeVsFloor: 1.2,
};

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer`);
  return value;
}
const ROUNDS = Math.max(7, option('--rounds', 7));
const POPULATION = option('--population', 300);
const PARENTS = option('--parents', 6);
const HISTORY_WANTED = !process.argv.includes('--no-history') && process.env.FOOTPRINT_BENCH_HISTORY !== '0';
const HISTORY_ROUNDS = option('--history-rounds', undefined); // undefined: bench/history.mjs's own default
const SOAK_SCRAPES = process.argv.includes('--no-soak') ? 0 : option('--soak-scrapes', 3000);
const LARGE_POPULATION = process.argv.includes('--no-large') ? 0 : option('--large-population', 1000);
/** ps_mem, the Python peer: not a Debian package; $PS_MEM, or the team's copy beside the repository. Skipped if absent. */
const PS_MEM = process.env.PS_MEM ?? join(ROOT, '..', 'shared', 'peers', 'ps_mem.py');

// ---------------------------------------------------------------- population

process.on('exit', () => endPopulation({ wait: false }));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, ending the population\n`);
    endPopulation();
    process.exit(130);
  });
}

/** The real shape of the population, from the kernel: mappings (smaps header lines) and rollup figures. */
function describePopulation(pids) {
  const mappings = [];
  const smapsLines = [];
  const rollup = { Rss: [], Pss: [], Private_Dirty: [] };
  for (const pid of pids) {
    try {
      const smaps = readFileSync(`/proc/${pid}/smaps`, 'latin1').split('\n');
      smapsLines.push(smaps.length - 1);
      mappings.push(smaps.filter((line) => /^[0-9a-f]+-[0-9a-f]+ /.test(line)).length);
      const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1');
      for (const key of Object.keys(rollup)) rollup[key].push(Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)[1]));
    } catch {
      // exited: not counted
    }
  }
  const mib = (kB) => (kB / 1024).toFixed(1);
  return {
    measured: mappings.length,
    mappings: `${median(mappings)} median (${Math.min(...mappings)}-${Math.max(...mappings)})`,
    smapsLines: median(smapsLines),
    rssMiB: mib(median(rollup.Rss)),
    pssMiB: mib(median(rollup.Pss)),
    privateDirtyMiB: mib(median(rollup.Private_Dirty)),
  };
}

// ---------------------------------------------------------------- timing


const devNull = openSync('/dev/null', 'w');

/** Runs one command to completion with its output thrown away; returns wall ms. */
function timeOnce(command) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command.file, command.args, { stdio: ['ignore', devNull, 'pipe'], env: command.env ?? process.env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw new Error(`${command.name}: ${result.error.message}`);
  if (result.status !== 0 && command.mustSucceed) {
    throw new Error(`${command.name} exited ${result.status}: ${result.stderr.toString().trim().split('\n')[0]}`);
  }
  return ms;
}

/** footprint's own figures: /usr/bin/time %M for the whole run, FOOTPRINT_SELF_REPORT=1 for after the scan. */
function measureFootprintSelf() {
  const result = spawnSync(TIME, ['-f', 'footprint-time-maxrss-kB %M', NODE, BIN], {
    stdio: ['ignore', devNull, 'pipe'],
    env: { ...process.env, FOOTPRINT_SELF_REPORT: '1' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`footprint self-report run exited ${result.status}: ${result.stderr}`);
  // NaN when the build has no FOOTPRINT_SELF_REPORT (an older commit): reported as n/a, and a FAIL.
  const field = (pattern) => Number(pattern.exec(result.stderr)?.[1] ?? NaN);
  return {
    peakKB: field(/^footprint-time-maxrss-kB (\d+)$/m),
    privateDirtyKB: field(/^footprint self-report after-scan: .*\bPrivate_Dirty=(\d+) kB/m),
    hwmAfterScanKB: field(/^footprint self-report after-scan: .*\bVmHWM=(\d+) kB/m),
  };
}

/**
 * Report-only invocations (issue 6): each must start as fast as a bare run, within
 * TARGETS.optionsVsBare. `-p` takes one PID of the population.
 */
function reportOptionInvocations(pids) {
  return [['--json'], ['--csv'], ['-n', '10'], ['--sort', 'ram'], ['--group', 'user'], ['-p', String(pids[0])],
    ['-u', 'root'], ['--units', 'MiB'], ['-n', '10', '--sort', 'ram']];
}

function commands(pids) {
  const list = [
    { name: 'footprint', label: 'node bin/footprint.js', file: NODE, args: [BIN], mustSucceed: true },
    ...reportOptionInvocations(pids).map((options) => ({
      name: `footprint ${options.join(' ')}`, label: `  ... ${options.join(' ')}`, file: NODE, args: [BIN, ...options], mustSucceed: true, options,
    })),
    { name: 'smem', file: SMEM, args: [], mustSucceed: true },
    // No delay/count: smemstat takes one snapshot and prints it (its one-shot mode; -q alone prints nothing).
    { name: 'smemstat', file: SMEMSTAT, args: [], mustSucceed: true },
    { name: 'node -e 0', file: NODE, args: ['-e', '0'], mustSucceed: true },
    { name: 'cat smaps_rollup', label: "sh -c 'cat /proc/[0-9]*/smaps_rollup'", file: '/bin/sh', args: ['-c', 'cat /proc/[0-9]*/smaps_rollup > /dev/null 2>&1'] },
  ];
  return list.filter((command) => !command.file.startsWith('/usr/bin/') || existsSync(command.file));
}

/**
 * A bare footprint against ps_mem and smemstat over a large population (issue 8,
 * and issue 24's targets), whole commands, each peer paired with a footprint run
 * right before it; and against its floor there, `node -e 0` plus one `cat` of every
 * smaps_rollup, timed right after it in the same round (a pair of the round's sum).
 */
async function benchLarge(count) {
  const pids = await startPopulation(count, PARENTS);
  try {
    const footprint = { name: 'footprint', file: NODE, args: [BIN], mustSucceed: true };
    const peers = [
      { name: 'ps_mem', file: 'python3', args: [PS_MEM], mustSucceed: true, present: existsSync(PS_MEM) },
      { name: 'smemstat', file: SMEMSTAT, args: [], mustSucceed: true, present: existsSync(SMEMSTAT) },
    ];
    const floor = commands(pids).filter((command) => command.name === 'node -e 0' || command.name === 'cat smaps_rollup');
    const present = peers.filter((peer) => peer.present);
    const times = new Map([[footprint.name, []], ...present.map((peer) => [peer.name, []]), ...floor.map((command) => [command.name, []])]);
    const pairs = new Map(present.map((peer) => [peer.name, []]));
    const floorPairs = [];
    for (const command of [footprint, ...present, ...floor]) timeOnce(command); // warm
    for (let round = 0; round < ROUNDS; round++) {
      for (const peer of present) {
        const mine = timeOnce(footprint);
        const theirs = timeOnce(peer);
        times.get(footprint.name).push(mine);
        times.get(peer.name).push(theirs);
        pairs.get(peer.name).push(mine / theirs);
      }
      const mine = timeOnce(footprint);
      times.get(footprint.name).push(mine);
      const floorMs = floor.map((command) => {
        const ms = timeOnce(command);
        times.get(command.name).push(ms);
        return ms;
      }).reduce((sum, ms) => sum + ms, 0);
      floorPairs.push(mine / floorMs);
      process.stderr.write(`\rlarge population (${pids.length}): round ${round + 1}/${ROUNDS}`);
    }
    process.stderr.write('\n');
    return {
      count: pids.length,
      medians: new Map([...times].map(([name, values]) => [name, median(values)])),
      ratios: new Map([...pairs].map(([name, values]) => [name, median(values)])),
      vsFloor: median(floorPairs),
      missing: peers.filter((peer) => !peer.present).map((peer) => (peer.name === 'ps_mem' ? `ps_mem (not at ${PS_MEM}; set PS_MEM)` : peer.name)),
    };
  } finally {
    endPopulation();
  }
}

// ---------------------------------------------------------------- report

function pad(text, width, right = false) {
  const value = String(text);
  return right ? value.padStart(width) : value.padEnd(width);
}

function verdict(ok) {
  return ok ? 'PASS' : 'FAIL';
}

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'footprint.cjs'))) throw new Error('dist/ is missing: run `npm run build` (or `npm run bench`)');
  const processesBefore = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
  console.log(`footprint bench: ${POPULATION} python3 processes (${PARENTS} parents that fork), ${ROUNDS} rounds, node ${process.version}`);
  const startedAt = Date.now();
  const pids = await startPopulation(POPULATION, PARENTS);
  const shape = describePopulation(pids);
  const processes = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
  console.log(
    `population ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s: ${shape.measured} processes; per process ` +
      `${shape.mappings} mappings (${shape.smapsLines} smaps lines), Rss ${shape.rssMiB} MiB, Pss ${shape.pssMiB} MiB, ` +
      `Private_Dirty ${shape.privateDirtyMiB} MiB; ${processes} PIDs in /proc (${processesBefore} before)`,
  );

  const list = commands(pids);
  const times = new Map(list.map((command) => [command.name, []]));
  const self = [];
  for (const command of list) timeOnce(command); // warm the page cache; not counted
  const bare = list[0];
  const pairRatios = new Map(list.filter((c) => c.options !== undefined).map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so that no command always follows the same one.
    for (let index = 0; index < list.length; index++) {
      const command = list[(index + round) % list.length];
      const ms = timeOnce(command);
      times.get(command.name).push(ms);
      // A report option against a bare run right after it: paired, so that the
      // ratio holds while the machine's speed drifts (5% is below the drift of a
      // busy machine between unpaired medians).
      if (command.options !== undefined) pairRatios.get(command.name).push(ms / timeOnce(bare));
    }
    self.push(measureFootprintSelf());
    process.stderr.write(`\rround ${round + 1}/${ROUNDS}`);
  }
  process.stderr.write('\n');
  // serve, scraped again and again while the population lives (issue 8).
  const { benchServe, benchServeAttack, benchServeWeight, nodeFloorKB, weightLine } = await import(pathToFileURL(join(ROOT, 'bench', 'serve.mjs')).href);
  const served = await benchServe({ bin: BIN });
  // serve's own weight part by part (issue 24 item 4), beside Node's floor.
  const weighed = await benchServeWeight({ bin: BIN, scrapes: 100 });
  const nodeFloorMB = (await nodeFloorKB()) / 1000;
  const servedPartner = await benchServe({ bin: BIN, env: { FOOTPRINT_SCAN_PARTNER: '1' } });
  // The pipelining attack (issue 12), while the population lives.
  const attacked = await benchServeAttack({ bin: BIN });
  const { rollupFloor } = await import(pathToFileURL(join(ROOT, 'bench', 'rollupFloor.mjs')).href);
  const floorOfScan = await rollupFloor();
  // The soak: thousands of scrapes, serve's memory after each tenth.
  const soak = SOAK_SCRAPES > 0 ? await benchServe({ bin: BIN, scrapes: SOAK_SCRAPES, deciles: true }) : undefined;
  endPopulation();
  const large = LARGE_POPULATION > 0 ? await benchLarge(LARGE_POPULATION) : undefined;

  const med = (name) => (times.has(name) ? median(times.get(name)) : NaN);
  console.log('');
  const footprint = med('footprint');
  console.log(`${pad('command', 44)} ${pad('median ms', 10, true)} ${pad('min ms', 8, true)} ${pad('max ms', 8, true)}  / bare`);
  const optionRows = [];
  for (const command of list) {
    const values = times.get(command.name);
    const label = command.label ?? [command.file.replace(/.*\//, ''), ...command.args].join(' ');
    // Report-only invocations: the median of their paired ratios to a bare run, against TARGETS.optionsVsBare.
    const ratio = command.options === undefined ? '' : median(pairRatios.get(command.name));
    const result = ratio === '' ? '' : `${ratio.toFixed(3)} ${verdict(ratio <= TARGETS.optionsVsBare)}`;
    if (ratio !== '') optionRows.push(ratio <= TARGETS.optionsVsBare);
    console.log(`${pad(label, 44)} ${pad(median(values).toFixed(1), 10, true)} ${pad(Math.min(...values).toFixed(1), 8, true)} ${pad(Math.max(...values).toFixed(1), 8, true)}  ${result}`);
  }
  console.log(`(... OPTIONS: node bin/footprint.js OPTIONS; / bare: median of its ratios to a bare run timed right after it, each round; target <= ${TARGETS.optionsVsBare})`);
  for (const name of ['smem', 'smemstat']) if (!times.has(name)) console.log(`${name}: not installed (/usr/bin/${name}), skipped`);

  const floor = med('node -e 0') + med('cat smaps_rollup');
  const vsSmem = footprint / med('smem');
  const vsFloor = footprint / floor;
  const peakMB = Math.max(...self.map((s) => s.peakKB)) / 1000;
  if (!self.every((s) => s.peakKB > 0)) throw new Error('/usr/bin/time printed no %M for footprint');
  const dirtyMB = Math.max(...self.map((s) => s.privateDirtyKB)) / 1000;
  const peakMedianMB = median(self.map((s) => s.peakKB)) / 1000;
  const dirtyMedianMB = median(self.map((s) => s.privateDirtyKB)) / 1000;
  const hwmAtScanMB = median(self.map((s) => s.hwmAfterScanKB)) / 1000;
  const rows = [
    ['footprint / smem (wall, medians)', vsSmem.toFixed(2), `<= ${TARGETS.vsSmem}`, Number.isFinite(vsSmem) ? verdict(vsSmem <= TARGETS.vsSmem) : 'n/a'],
    ['footprint / (node -e 0 + cat) (medians)', vsFloor.toFixed(2), `<= ${TARGETS.vsFloor}`, verdict(vsFloor <= TARGETS.vsFloor)],
    ['footprint peak RSS, MB (max; /usr/bin/time %M)', `${peakMB.toFixed(1)} (median ${peakMedianMB.toFixed(1)})`, `<= ${TARGETS.peakRssMB}`, verdict(peakMB <= TARGETS.peakRssMB)],
    ['footprint Private_Dirty after scan, MB (max)', `${dirtyMB.toFixed(1)} (median ${dirtyMedianMB.toFixed(1)})`, `<= ${TARGETS.privateDirtyMB}`, verdict(dirtyMB <= TARGETS.privateDirtyMB)],
    [`serve: scan of a scrape / cat (medians, ${served.scrapes} scrapes)`, `${(served.scanMs / med('cat smaps_rollup')).toFixed(2)}`, `<= ${TARGETS.serveScanVsCat}`, verdict(served.scanMs / med('cat smaps_rollup') <= TARGETS.serveScanVsCat)],
    ['serve RSS after the scrapes, MB (highest)', `${(served.endKB / 1000).toFixed(1)} (${(served.highestKB / 1000).toFixed(1)})`, `<= ${TARGETS.serveRssMB}`, verdict(served.highestKB / 1000 <= TARGETS.serveRssMB)],
    [`serve under attack (${attacked.clients} clients x ${attacked.requests} pipelined): RSS highest / after, MB`,
      `${(attacked.highestKB / 1000).toFixed(1)} / ${(attacked.afterKB / 1000).toFixed(1)}`, `<= ${TARGETS.serveRssMB}`,
      verdict(attacked.highestKB / 1000 <= TARGETS.serveRssMB && attacked.afterKB / 1000 <= TARGETS.serveRssMB)],
    [`serve under attack: real scrape, ms (median; highest of ${attacked.scrapes})`, `${attacked.scrapeMedianMs.toFixed(0)}; ${attacked.scrapeMaxMs.toFixed(0)}`,
      `<= ${TARGETS.attackScrapeMs}`, verdict(attacked.failedScrapes === 0 && attacked.scrapeMaxMs <= TARGETS.attackScrapeMs)],
  ];
  if (soak !== undefined) {
    const rss = soak.memory.map((m) => m.rssKB / 1000);
    const growth = median(rss.slice(-3)) - median(rss.slice(0, 3));
    rows.push([`serve soak, ${soak.scrapes} scrapes: RSS growth, MB`, growth.toFixed(1), `<= ${TARGETS.soakGrowthMB}`, verdict(growth <= TARGETS.soakGrowthMB)]);
  }
  if (large !== undefined) {
    for (const peer of ['ps_mem', 'smemstat']) {
      const ratio = large.ratios.get(peer);
      rows.push([`footprint / ${peer} at ${large.count} Pythons (wall, pairs)`, ratio === undefined ? 'skipped' : ratio.toFixed(2), `<= ${TARGETS.largeVsPeer[peer]}`,
        ratio === undefined ? 'n/a' : verdict(ratio <= TARGETS.largeVsPeer[peer])]);
    }
    rows.push([`footprint / (node -e 0 + cat) at ${large.count} Pythons (pairs)`, large.vsFloor.toFixed(2), `<= ${TARGETS.largeVsFloor}`, verdict(large.vsFloor <= TARGETS.largeVsFloor)]);
  }
  console.log('');
  console.log(`${pad('target', 48)} ${pad('measured', 22, true)} ${pad('target', 8, true)}  result`);
  for (const [name, value, target, result] of rows) console.log(`${pad(name, 48)} ${pad(value, 22, true)} ${pad(target, 8, true)}  ${result}`);
  console.log(`(MB = 10^6 bytes; VmHWM already ${hwmAtScanMB.toFixed(1)} MB when the scan ended; node -e 0 + cat = ${floor.toFixed(1)} ms; `
    + `serve: scan ${served.scanMs.toFixed(1)} ms, whole scrape ${served.scrapeMs.toFixed(1)} ms, cat ${med('cat smaps_rollup').toFixed(1)} ms, `
    + `Private_Dirty ${(served.privateDirtyKB / 1000).toFixed(1)} MB; with a partner thread (FOOTPRINT_SCAN_PARTNER=1, serve's way before issue 24): scan ${servedPartner.scanMs.toFixed(1)} ms, `
    + `RSS ${(servedPartner.endKB / 1000).toFixed(1)} MB (highest ${(servedPartner.highestKB / 1000).toFixed(1)}), Private_Dirty ${(servedPartner.privateDirtyKB / 1000).toFixed(1)} MB)`);
  console.log(`(the kernel's part, bench/rollupFloor.mjs: stat, smaps_rollup and stat again for each of ${floorOfScan.processes} PIDs takes `
    + `${floorOfScan.oneMs.toFixed(1)} ms on one thread, ${floorOfScan.twoMs.toFixed(1)} ms on two = ${(floorOfScan.twoMs / med('cat smaps_rollup')).toFixed(2)} of a cat: the floor of serve's scan on two CPUs)`);
  console.log(`(serve under attack, bench/serve.mjs: ${attacked.seconds} s, ${attacked.flood.connections} connections of which serve closed ${attacked.flood.closedByServer}; `
    + `RSS ${(attacked.beforeKB / 1000).toFixed(1)} MB before${attacked.failedScrapes > 0 ? `; ${attacked.failedScrapes} real scrapes FAILED` : ''})`);
  console.log(`(${weightLine(`serve's own weight, ${POPULATION} processes`, weighed)}; Node's floor ${nodeFloorMB.toFixed(1)} MB; docs/serve.md, "serve's own weight")`);
  if (soak !== undefined) {
    console.log(`(soak: serve's RSS / Private_Dirty in MB after each tenth of the scrapes: ${soak.memory.map((m) => `${(m.rssKB / 1000).toFixed(0)}/${(m.privateDirtyKB / 1000).toFixed(0)}`).join(' ')}; `
      + `median scan ${soak.scanMs.toFixed(1)} ms)`);
  }
  if (large !== undefined) {
    console.log(`(${large.count} Pythons, medians of ${ROUNDS} rounds: ${[...large.medians].map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`).join(', ')}; `
      + `ratios are medians of pairs, footprint timed right before each peer, and right before node -e 0 and cat for the floor${large.missing.length > 0 ? `; skipped: ${large.missing.join(', ')}` : ''})`);
  }
  const failed = rows.filter((row) => row[3] === 'FAIL').length + optionRows.filter((ok) => !ok).length;
  console.log(failed === 0 ? 'all targets met' : `${failed} target(s) missed`);
  return failed;
}

let failed = 0;
try {
  failed = await main();
} catch (error) {
  endPopulation();
  console.error(`bench: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

// ---------------------------------------------------------------- history (issue 3)
// bench/history.mjs is another engineer's; it is called, never edited, here. It
// exports runHistoryBench({ rounds, dir, log }); if that export is missing, it
// is run as a script instead.
if (HISTORY_WANTED && existsSync(HISTORY)) {
  console.log('\n--- bench/history.mjs (footprint history) ---');
  const history = await import(pathToFileURL(HISTORY).href);
  if (typeof history.runHistoryBench === 'function') {
    await history.runHistoryBench({ rounds: HISTORY_ROUNDS });
  } else {
    const result = spawnSync(NODE, [HISTORY, ...(HISTORY_ROUNDS === undefined ? [] : ['--rounds', String(HISTORY_ROUNDS)])], { stdio: 'inherit' });
    if (result.status !== 0) failed++;
  }
} else if (HISTORY_WANTED) {
  console.log('\n(bench/history.mjs not present yet: the history benchmark hook is skipped)');
}

// ---------------------------------------------------------------- over time (issue 7)
if (!process.argv.includes('--no-overtime')) {
  console.log('\n--- bench/overTime.mjs (footprint run, watch) ---');
  const overTime = await import(pathToFileURL(join(ROOT, 'bench', 'overTime.mjs')).href);
  failed += await overTime.runOverTimeBench();
}
// ---------------------------------------------------------------- cgroups (issue 15), hostile input (issue 12)
if (!process.argv.includes('--no-cgroups')) {
  console.log('\n--- bench/cgroups.mjs (footprint cgroups against a bare footprint) ---');
  const { benchCgroups } = await import(pathToFileURL(join(ROOT, 'bench', 'cgroups.mjs')).href);
  const cgroups = await benchCgroups({ population: LARGE_POPULATION > 0 ? LARGE_POPULATION : 1000 });
  if (!cgroups.pass) failed++;
}
if (!process.argv.includes('--no-hostile')) {
  for (const script of ['hostileStore.mjs', 'reportScan.mjs', 'cgroupMetrics.mjs', 'cgroupHolders.mjs']) {
    console.log(`\n--- bench/${script} ---`);
    const result = spawnSync(NODE, [join(ROOT, 'bench', script)], { stdio: 'inherit' });
    if (result.status !== 0) failed++;
  }
}
if (!process.argv.includes('--no-serve-flood')) failed += (console.log('\n--- bench/serveFlood.mjs (serve --web-config under wrong-password and handshake floods, issue 20) ---'), spawnSync(NODE, [join(ROOT, 'bench', 'serveFlood.mjs')], { stdio: 'inherit' }).status === 0 ? 0 : 1);
if (!process.argv.includes('--no-stall')) failed += (console.log('\n--- bench/stall.mjs (serve, watch and process-exporter -gather-smaps: a big process\'s mmap latency per scrape or sample, issue 24) ---'), spawnSync(NODE, [join(ROOT, 'bench', 'stall.mjs')], { stdio: 'inherit' }).status === 0 ? 0 : 1);
if (!process.argv.includes('--no-serve-weight')) failed += (console.log('\n--- bench/serveWeight.mjs (serve after 1,000 scrapes of 1,000 processes; its scan against the C floor, issue 24) ---'), spawnSync(NODE, [join(ROOT, 'bench', 'serveWeight.mjs')], { stdio: 'inherit' }).status === 0 ? 0 : 1);
if (!process.argv.includes('--no-files')) failed += (console.log('\n--- bench/files.mjs (footprint files machine-wide against smem -m, issue 23) ---'), spawnSync(NODE, [join(ROOT, 'bench', 'files.mjs')], { stdio: 'inherit' }).status === 0 ? 0 : 1);
if (!process.argv.includes('--no-shmem')) failed += (console.log('\n--- bench/shmem.mjs (footprint shmem with 10,000 files in /dev/shm, and 100,000, issue 23) ---'), spawnSync(NODE, [join(ROOT, 'bench', 'shmem.mjs')], { stdio: 'inherit' }).status === 0 ? 0 : 1);
process.exitCode = failed === 0 ? 0 : 1;
