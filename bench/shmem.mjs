// `footprint shmem` with 10,000 files in /dev/shm (issue 23: under 1 s and 100 MB):
// the files are made in a directory of their own (/dev/shm/fp-bench-PID/, one
// page written each: 10,000 orphans), then `footprint shmem --json` runs
// `rounds` times under /usr/bin/time: the median wall time (measured here
// around spawnSync) and the largest peak RSS (/usr/bin/time's %M, the whole
// process). A 100,000-file tmpfs then shows the walk's bound holds its time and
// memory (not a target: printed). The directories go at the end, also on error or Ctrl-C.
//
//   node bench/shmem.mjs [--files N=10000] [--rounds N=5] [--no-large]
//   (after `npm run build`; as root, like the bench's other whole-machine figures)
//
// Exports benchShmem({ files, rounds, log }) for bench/run.mjs.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './median.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(ROOT, 'bin', 'footprint.js');
const TIME = '/usr/bin/time';
const TARGET_MS = 1000;
const TARGET_MB = 100;

function makeFiles(directory, count) {
  mkdirSync(directory, { recursive: true });
  const page = Buffer.alloc(4096, 1);
  for (let i = 0; i < count; i++) {
    const fd = openSync(join(directory, `f${i}`), 'w');
    try {
      writeSync(fd, page);
    } finally {
      closeSync(fd);
    }
  }
}

/** One run: wall ms, peak RSS in KB, the document. */
function runOnce() {
  const start = process.hrtime.bigint();
  const result = spawnSync(TIME, ['-f', '%M', process.execPath, BIN, 'shmem', '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`footprint shmem exited ${result.status}: ${result.stderr}`);
  const peakKB = Number(result.stderr.trim().split('\n').at(-1));
  return { ms, peakKB, document: JSON.parse(result.stdout) };
}

function measure(directory, rounds) {
  const runs = [];
  for (let i = 0; i < rounds; i++) runs.push(runOnce());
  const found = runs[0].document.rows.filter((row) => row.name.startsWith(`${directory}/`)).length;
  return { ms: median(runs.map((run) => run.ms)), peakMB: Math.max(...runs.map((run) => run.peakKB)) / 1024, found };
}

/** { files, found, ms, peakMB, pass }, and the 100,000-file run's figures unless `large` is false. */
export function benchShmem({ files = 10_000, rounds = 5, large = true, log = console.log } = {}) {
  const directory = `/dev/shm/fp-bench-${process.pid}`;
  const cleanUp = () => rmSync(directory, { recursive: true, force: true });
  process.once('SIGINT', () => { cleanUp(); process.exit(130); });
  try {
    makeFiles(directory, files);
    const result = measure(directory, rounds);
    const pass = result.ms < TARGET_MS && result.peakMB < TARGET_MB && result.found === files;
    log(`shmem, ${files} files in /dev/shm: median ${result.ms.toFixed(0)} ms of ${rounds} (target < ${TARGET_MS}), peak RSS ${result.peakMB.toFixed(1)} MB (target < ${TARGET_MB}), ${result.found} found: ${pass ? 'PASS' : 'FAIL'}`);
    let largeResult;
    if (large) {
      makeFiles(directory, 100_000);
      largeResult = measure(directory, 1);
      log(`shmem, 100,000 files in /dev/shm: ${largeResult.ms.toFixed(0)} ms, peak RSS ${largeResult.peakMB.toFixed(1)} MB, ${largeResult.found} found (the walk looks at 200,000 entries at most)`);
    }
    return { files, ...result, pass, large: largeResult };
  } finally {
    cleanUp();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const option = (name, fallback) => {
    const index = process.argv.indexOf(name);
    return index < 0 ? fallback : Number(process.argv[index + 1]);
  };
  const { pass } = benchShmem({ files: option('--files', 10_000), rounds: option('--rounds', 5), large: !process.argv.includes('--no-large') });
  process.exitCode = pass ? 0 : 1;
}
