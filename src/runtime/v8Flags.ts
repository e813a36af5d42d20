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
