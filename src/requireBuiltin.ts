import { createRequire } from 'node:module';

/**
 * require() for Node's own modules, for the code a bare run loads as an ES
 * module. Importing node:fs as an ES module builds a facade that reads every
 * export, and some are getters that load Node's stream modules: ~10 ms of a
 * bare run. require() hands over the module as it is.
 */
export const requireBuiltin = createRequire(import.meta.url);

export const fs = requireBuiltin('node:fs') as typeof import('node:fs');
