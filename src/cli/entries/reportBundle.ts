/**
 * Entry of dist/report.cjs: what `footprint` runs when it has no arguments or
 * only the report's own options (`--json`, `-n 10 --sort ram`). Built as one
 * CommonJS file so that it loads through a V8 code cache (loadCompiled.ts):
 * Node 20 keeps no compile cache for ES modules, and compiling the report's
 * code was a tenth of a bare run. yargs is not in it: arguments the fast path
 * doubts go to dist/parseArguments.js.
 */
export { runReport } from '../commands/report.js';
export { readReportArguments } from '../reportArguments.js';
