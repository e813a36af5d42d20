/**
 * Jest's global setup (jest.config.js): this run's folder for its temporary
 * paths (test/helpers/tempPaths.ts), named in FOOTPRINT_TEST_RUN for every
 * worker; first, what earlier runs killed before their teardown left.
 */
import { createRequire } from 'node:module';
import type * as TempPaths from './tempPaths.js';

export default function globalSetup(): void {
  // Jest loads this file outside its module map, where `./tempPaths.js` finds no
  // tempPaths.ts: it is required by its own name, through Jest's transform hook.
  const { TEST_RUN_VARIABLE, removeAbandonedRuns, startTestRun } = createRequire(import.meta.url)('./tempPaths.ts') as typeof TempPaths;
  const left = removeAbandonedRuns();
  if (left.length > 0) process.stderr.write(`footprint tests: left by an earlier run, not removed:\n  ${left.join('\n  ')}\n`);
  process.env[TEST_RUN_VARIABLE] = startTestRun();
}
