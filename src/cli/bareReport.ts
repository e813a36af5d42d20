/**
 * Entry of dist/bareReport.cjs: what a bare `footprint` runs. Built as one
 * CommonJS file so that it loads through a V8 code cache (loadCompiled.ts):
 * Node 20 keeps no compile cache for ES modules, and compiling the report's
 * code was a tenth of a bare run.
 */
export { runReport } from './commands/report.js';
