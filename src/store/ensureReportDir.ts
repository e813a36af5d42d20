import { mkdirSync, statSync } from 'node:fs';
import { RuntimeFailure } from '../cli/errors.js';
import { describeFileError } from './fileErrors.js';

/** Creates the report directory (and missing parents) readable by its owner only: reports list every program run. */
export function ensureReportDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new RuntimeFailure(`cannot create report directory ${dir}: ${describeFileError(error)}`);
  }
  if (!statSync(dir).isDirectory()) throw new RuntimeFailure(`${dir} is not a directory`);
}
