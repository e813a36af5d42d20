import { FILES_OPTIONS, type FilesArgs } from './options/files.js';
import { parsePositiveInteger } from './values/report.js';
import { readOptionTable } from './optionTable.js';

/**
 * `footprint files`' options (FILES_OPTIONS) read without yargs, as the
 * report's are (reportArguments.ts): `files`, `files -n 20 --json`,
 * `files --match libc --by program`. Undefined whenever readOptionTable doubts
 * them or yargs would refuse a value, and yargs then reads them all, so that
 * help and every error are yargs' own.
 */
export function readFilesArguments(argv: readonly string[]): FilesArgs | undefined {
  const given = readOptionTable(argv, FILES_OPTIONS);
  if (given === undefined) return undefined;
  try {
    parsePositiveInteger('--top', given.top);
  } catch {
    return undefined; // yargs' path says what was wrong
  }
  return given;
}
