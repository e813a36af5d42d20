import { statSync } from 'node:fs';
import { RuntimeFailure } from '../errors.js';
import { describeFileError } from './fileErrors.js';
import { checkWritableDirectory, makeDirectories } from './writablePlace.js';

/**
 * Creates the report directory (and missing parents) readable by its owner
 * only: reports list every program run. Then checks that a report can be
 * written into it, so that a read-only mount or a place under /proc fails
 * before the scan, with its real cause.
 */
export function ensureReportDir(dir: string): void {
  try {
    makeDirectories(dir, 0o700);
  } catch (error) {
    throw new RuntimeFailure(`cannot create report directory ${dir}: ${describeFileError(error)}`);
  }
  if (!statSync(dir).isDirectory()) throw new RuntimeFailure(`${dir} is not a directory`);
  try {
    checkWritableDirectory(dir);
  } catch (error) {
    throw new RuntimeFailure(`cannot save into ${dir}: ${describeFileError(error)}`);
  }
}
