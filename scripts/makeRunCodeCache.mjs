// Writes dist/overTime.cjs.cache: the V8 code cache of `run`'s bundle, taken
// after real use (its argument reader, then a run of `true`) and with the V8
// flags a run has (main.ts sets --semi-space-growth-factor=1 for run, and no
// --max-opt), since V8 only accepts a cache made so. Run by scripts/build.mjs
// with stdout and stderr discarded (the run's summary goes to stderr).
import { fileURLToPath } from 'node:url';
import { loadCompiled, tuneForEnduringRun, writeCodeCache } from '../dist/codeCacheTools.js';

tuneForEnduringRun();
const bundle = fileURLToPath(new URL('../dist/overTime.cjs', import.meta.url));
const { exports, script } = loadCompiled(bundle);
for (const argv of [['--', 'true'], ['--interval', '20ms', '--', 'true'], ['--json', '/dev/null', '--', 'true'], ['--bogus', '--', 'true']]) exports.readRunArguments(argv);
const args = exports.readRunArguments(['--no-cgroup', '--', 'true']);
if (args !== undefined) await exports.runRun(args);
writeCodeCache(bundle, script);
