import { requireBuiltin } from '../requireBuiltin.js';

const { setFlagsFromString } = requireBuiltin('node:v8') as typeof import('node:v8');

/**
 * A scan lasts a few hundred ms, too short for V8's optimising compiler to pay
 * back the CPU it spends (bench/run.mjs: ~100 ms of CPU, ~30 ms of wall time).
 * history and diff read thousands of reports, in worker threads too, and keep it.
 * The code cache is made with the same flag, as V8 accepts a cache only then.
 */
export function tuneForShortRun(): void {
  setFlagsFromString('--max-opt=1');
}

/**
 * watch, serve and run sample again and again for hours: V8 grows its young
 * generation as allocation goes on (here from 1 MiB semi-spaces to 16 MiB,
 * 30-50 MB of RSS), though what a scan allocates dies young and is small. A
 * growth factor of 1 keeps the semi-spaces at their initial size: more
 * scavenges, each of a smaller space (a whole-machine scan allocates ~3 MB).
 * It is read whenever V8 grows the space, so it can be set at run time, unlike
 * --max-semi-space-size. A worker thread's start sets V8's flags back to the
 * command line's (measured: the main isolate's young generation grew to 32 MiB
 * again), so call this again once a worker is online.
 */
export function tuneForEnduringRun(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** Whether serve's arguments may name a web config (any spelling yargs reads): bcrypt then runs in this process. */
export function mayUseWebConfig(argv: readonly string[]): boolean {
  return argv.some((word) => word.startsWith('--web-config') || word.startsWith('--webConfig'));
}

/**
 * serve's V8 flags, set before its code loads. Without a web config: Sparkplug's
 * baseline code only (--max-opt=1, as the report runs). Maglev and TurboFan bought
 * serve no CPU per scrape and cost it 6-10 MB of RSS (their compile zones and the
 * optimised code; docs/serve.md, "serve's own weight"). And V8's choices for memory
 * over speed (--optimize-for-size: smaller heap growth, more compaction): given on
 * node's command line, 5 MB less RSS for 6% more CPU per scrape; set here, at run
 * time, part of it (V8 reads some of it only when the heap is set up). With one, the optimiser
 * stays: bcryptjs (basic auth, pure JavaScript) checks a password 11-25x slower
 * without it, and V8's flags are the whole process's, its bcrypt thread's too.
 */
export function tuneForServe(argv: readonly string[]): void {
  if (mayUseWebConfig(argv)) return;
  setFlagsFromString('--max-opt=1');
  setFlagsFromString('--optimize-for-size');
}
