/**
 * Entry of dist/serve.cjs: `footprint serve` without yargs and without Node's
 * ES module loader (issue 24 item 4: serve's own weight), one CommonJS file
 * loaded through loadCompiled, as the report's bundle (reportBundle.ts).
 * Arguments its reader doubts go to yargs (dist/parseArguments.js).
 */
export { runServe } from '../commands/serve.js';
export { readServeArguments } from '../serveArguments.js';
