/**
 * Jest's global teardown (jest.config.js): removes every temporary path this
 * run listed, then the run's folder (test/helpers/tempPaths.ts), whether the
 * tests passed, failed or timed out; says what it had to leave.
 */
import { createRequire } from 'node:module';
import type * as TempPaths from './tempPaths.js';

export default function globalTeardown(): void {
  // As in globalSetup.ts: required by its own name, outside Jest's module map.
  const { removeTestRun, testRunDir } = createRequire(import.meta.url)('./tempPaths.ts') as typeof TempPaths;
  const runDir = testRunDir();
  if (runDir === undefined) return;
  const left = removeTestRun(runDir);
  if (left.length > 0) process.stderr.write(`footprint tests: temporary paths left:\n  ${left.join('\n  ')}\n`);
}
