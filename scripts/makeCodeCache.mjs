// Writes dist/bareReport.cjs.cache: the V8 code cache of a bare `footprint`,
// taken after one real report (so the functions a run compiles lazily are in it)
// and with the same V8 flags as a run, since V8 only accepts a cache made so.
// Run by scripts/build.mjs with stdout discarded.
import { fileURLToPath } from 'node:url';
import { REPORT_DEFAULTS, loadCompiled, tuneForShortRun, writeCodeCache } from '../dist/codeCacheTools.js';

tuneForShortRun();
const bundle = fileURLToPath(new URL('../dist/bareReport.cjs', import.meta.url));
const { exports, script } = loadCompiled(bundle);
await exports.runReport(REPORT_DEFAULTS);
writeCodeCache(bundle, script);
