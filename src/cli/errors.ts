/**
 * The errors moved to src/errors.ts (store and scan throw them too, and may not
 * import from cli/). Kept for the files of run and watch that still import from here.
 */
export * from '../errors.js';
