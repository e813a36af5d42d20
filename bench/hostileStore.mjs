// What hostile files in the report directory cost (issue 12): `history` (index
// removed, so every report is read, in worker threads), `save` and `diff` with a
// 2 MB gzip bomb (2 GiB of zeros) or a crafted report of 2.3 million empty
// objects beside six real-shaped reports, against the same directory without
// them. Wall time and peak RSS (/usr/bin/time's %M) of the real CLI, medians.
//
//   node bench/hostileStore.mjs [--rounds N]     (npm run build first)
//
// Everything is made in a temporary directory, removed at the end.
import { spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { constants, createGzip, gzipSync } from 'node:zlib';
import { median } from './median.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(ROOT, 'bin', 'footprint.js');
const MiB = 1024 * 1024;
const roundsAt = process.argv.indexOf('--rounds');
const ROUNDS = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 5;

const work = mkdtempSync(join(tmpdir(), 'footprint-bench-hostile-'));
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
const nameFor = (time) => `${time.slice(0, 10)}T${time.slice(11, 13)}${time.slice(14, 16)}${time.slice(17, 19)}Z.json.gz`;

/** A report of `groups` groups shaped like a real save (names, pids, figures in KiB multiples). */
function reportText(time, groups) {
  const list = Array.from({ length: groups }, (_, index) => {
    const writable = (index + 1) * 40960;
    return {
      name: `program-${index}`, count: 1, pids: [1000 + index], writable, privateClean: 4096, private: writable + 4096,
      shared: 8192, ram: writable + 12288, pss: writable + 12288, rss: writable + 20480, swap: 0, estimated: false,
    };
  });
  return JSON.stringify({
    schema: 'footprint.report/1', tool: 'footprint bench', host: 'bench', kernel: '6.1.0', time, source: 'smaps_rollup', groupBy: 'program',
    scan: { seen: groups, measured: groups, kernelThreads: 0, denied: 0, gone: 0, zombies: 0, estimated: 0, ms: 1 }, groups: list,
    totals: { writable: 0, private: 0, shared: 0, ram: 0, pss: 0, rss: 0, swap: 0 },
    system: { memTotal: 8 * 1024 * MiB, memAvailable: 4 * 1024 * MiB, used: 4 * 1024 * MiB, shmem: 0, accounted: 0 },
  });
}

function timed(args) {
  const rss = join(work, 'rss');
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rss, process.execPath, BIN, ...args], { encoding: 'utf8' });
  const ms = performance.now() - started;
  return { ms, rssMiB: Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) / 1024, status: result.status, stderr: result.stderr };
}


function measure(label, prepare, args) {
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) {
    prepare();
    runs.push(timed(args));
  }
  const statuses = [...new Set(runs.map((run) => run.status))].join('/');
  console.log(`${label.padEnd(58)} ${median(runs.map((run) => run.ms)).toFixed(0).padStart(6)} ms ${median(runs.map((run) => run.rssMiB)).toFixed(1).padStart(7)} MiB  exit ${statuses}`);
  return runs[runs.length - 1];
}

try {
  const bomb = join(work, 'bomb.json.gz');
  const zeros = Buffer.alloc(MiB);
  await pipeline(Readable.from((function* () { for (let index = 0; index < 2048; index++) yield zeros; })()),
    createGzip({ level: 9, strategy: constants.Z_RLE }), createWriteStream(bomb));
  const dense = gzipSync(`{"schema":"footprint.report/1","groups":[${'{},'.repeat(2_300_000)}{}]}`);

  const dir = join(work, 'reports');
  mkdirSync(dir);
  const now = Date.now();
  for (let day = 0; day < 6; day++) {
    const time = iso(now - (5 - day) * 86_400_000 - 3_600_000);
    writeFileSync(join(dir, nameFor(time)), gzipSync(reportText(time, 300)));
  }
  const hostileName = nameFor(iso(now - 2.5 * 86_400_000));
  const hostile = join(dir, hostileName);
  const noIndex = () => rmSync(join(dir, '.footprint-index'), { recursive: true, force: true });
  console.log(`footprint with hostile report files, ${ROUNDS} rounds, medians (wall, peak RSS)`);
  measure('history, 6 reports, no index', noIndex, ['history', '--dir', dir]);
  measure('history, 6 reports + a 2 MB gzip bomb (2 GiB inflated)', () => { noIndex(); copyFileSync(bomb, hostile); }, ['history', '--dir', dir]);
  measure('history, 6 reports + 2.3 million empty objects (6.9 MB)', () => { noIndex(); writeFileSync(hostile, dense); }, ['history', '--dir', dir]);
  unlinkSync(hostile);
  // save indexes the day it writes: the bomb is named for now, so it is among that day's files.
  const saveDir = join(work, 'save');
  mkdirSync(saveDir);
  measure('save --pid SELF, a gzip bomb of the same day', () => copyFileSync(bomb, join(saveDir, nameFor(iso(Date.now())))),
    ['save', '--dir', saveDir, '--pid', String(process.pid)]);
  measure('diff BOMB REPORT', () => {}, ['diff', bomb, join(dir, nameFor(iso(now - 3_600_000)))]);
  measure('diff /dev/zero REPORT', () => {}, ['diff', '/dev/zero', join(dir, nameFor(iso(now - 3_600_000)))]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
