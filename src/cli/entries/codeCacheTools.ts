/** Entry of dist/codeCacheTools.js, for scripts/makeCodeCache.mjs: what the build needs to warm the report bundle's cache. */
export { loadCompiled, writeCodeCache } from '../../startup/loadCompiled.js';
export { tuneForEnduringRun, tuneForShortRun } from '../../runtime/v8Flags.js';
export { REPORT_DEFAULTS } from '../reportDefaults.js';
