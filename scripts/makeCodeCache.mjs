// Writes dist/report.cjs.cache: the V8 code cache of the report bundle, taken
// after real use (so the functions a run compiles lazily are in it) and with the
// same V8 flags as a run, since V8 only accepts a cache made so. The use: the
// report's argument reader on typical arguments, then a bare report, a --json
// and a --csv one. Run by scripts/build.mjs with stdout discarded.
import { fileURLToPath } from 'node:url';
import { REPORT_DEFAULTS, loadCompiled, tuneForShortRun, writeCodeCache } from '../dist/codeCacheTools.js';

tuneForShortRun();
const bundle = fileURLToPath(new URL('../dist/report.cjs', import.meta.url));
const { exports, script } = loadCompiled(bundle);
const WARM_ARGUMENTS = [
  ['--json'], ['--csv', '--reverse'], ['-n', '10', '--sort', 'ram'], ['--top=5', '--group', 'user', '-u', '0'],
  ['-p', '1,2', '--units', 'MiB', '--estimate', '--no-estimate'], ['--bogus'], ['show', '1'], ['--sort', 'ram', '--sort', 'pss'],
];
for (const argv of WARM_ARGUMENTS) exports.readReportArguments(argv);
await exports.runReport(REPORT_DEFAULTS);
await exports.runReport({ ...REPORT_DEFAULTS, json: true, top: 10 });
await exports.runReport({ ...REPORT_DEFAULTS, csv: true });
writeCodeCache(bundle, script);
