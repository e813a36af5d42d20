#!/usr/bin/env node
// A run lasts a few hundred ms, too short for V8's optimising compilers to pay back
// the CPU they spend (measured by bench/run.mjs: ~100 ms of CPU, ~30 ms of wall time).
import { setFlagsFromString } from 'node:v8';
setFlagsFromString('--max-opt=1');
const { main } = await import('../dist/footprint.js');
process.exitCode = await main(process.argv.slice(2));
