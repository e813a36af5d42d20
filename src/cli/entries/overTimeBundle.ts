/**
 * Entry of dist/overTime.cjs: `footprint run -- CMD` without yargs, so that CMD
 * starts as soon as footprint can start it. Arguments its reader doubts go to
 * yargs (dist/parseArguments.js), like the report's.
 */
export { runRun } from '../commands/run.js';
export { readRunArguments } from '../runArguments.js';
