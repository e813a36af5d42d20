import { RuntimeFailure } from '../errors.js';
import { describeFileError } from '../kernel/files/fileErrors.js';
import { foreignLinkProblem, storeDirectoryProblem } from './ownDirectory.js';
import { checkWritableDirectory, makeDirectories } from './writablePlace.js';

/**
 * Creates the report directory (and missing parents) readable by its owner
 * only: reports list every program run. Then checks that a report can be
 * written into it, so that a read-only mount or a place under /proc fails
 * before the scan, with its real cause; and that no other user can put it
 * somewhere else (a link of theirs, a directory of theirs: storeDirectoryProblem).
 */
export function ensureReportDir(dir: string): void {
  // Before any directory is made: one made through another user's link would be made where they chose.
  const linked = foreignLinkProblem(dir);
  if (linked !== undefined) throw new RuntimeFailure(`not saving into ${dir}: ${linked}`);
  try {
    makeDirectories(dir, 0o700);
  } catch (error) {
    throw new RuntimeFailure(`cannot create report directory ${dir}: ${describeFileError(error)}`);
  }
  const problem = storeDirectoryProblem(dir);
  if (problem !== undefined) throw new RuntimeFailure(`not saving into ${dir}: ${problem}`);
  try {
    checkWritableDirectory(dir);
  } catch (error) {
    throw new RuntimeFailure(`cannot save into ${dir}: ${describeFileError(error)}`);
  }
}
