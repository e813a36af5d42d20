/**
 * Entry of dist/files.cjs: `footprint files` without yargs (a sixth of its
 * CPU time when it was loaded), through its own V8 code cache, as the
 * report's bundle (reportBundle.ts). Arguments its reader doubts go to yargs
 * (dist/parseArguments.js).
 */
export { runFiles } from '../commands/files.js';
export { readFilesArguments } from '../filesArguments.js';
