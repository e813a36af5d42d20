import { SERVE_OPTIONS, type ServeArgs } from './options/fleet.js';
import { readOptionTable } from './optionTable.js';

/**
 * `footprint serve`'s options (SERVE_OPTIONS) read without yargs, as the
 * report's and files' are: `serve`, `serve --listen 127.0.0.1:9999 --top 20`.
 * Undefined whenever readOptionTable doubts them, and yargs then reads them
 * all, so that help and every error are yargs' own. The values' own checks
 * (--listen, --top, the budget's knobs) are runServe's, on either path.
 */
export function readServeArguments(argv: readonly string[]): ServeArgs | undefined {
  return readOptionTable(argv, SERVE_OPTIONS);
}
