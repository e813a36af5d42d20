import { requireBuiltin } from './requireBuiltin.js';

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
