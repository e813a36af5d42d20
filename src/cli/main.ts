import { setFlagsFromString } from 'node:v8';
import { ClosedPipe, writeStderr } from './output.js';
import { EXIT_OK, exitCodeFor } from './errors.js';
import { runReport } from './commands/report.js';
import { REPORT_DEFAULTS } from './reportDefaults.js';

/** Commands that may read thousands of files: the optimiser pays for itself there. */
const LONG_RUNNING_COMMANDS = new Set(['history', 'diff']);

/**
 * Runs one command and returns its exit code; only the bin sets it. Every
 * failure becomes one line on stderr, and a closed stdout (`| head`) a quiet 0.
 *
 * A bare `footprint`, the commonest run, has nothing to parse: it goes straight
 * to the report with the same defaults yargs would give, and yargs (a third of
 * the start-up time) is loaded only when there are arguments.
 */
export async function main(argv: string[]): Promise<number> {
  if (!LONG_RUNNING_COMMANDS.has(argv[0] ?? '')) {
    // A scan lasts a few hundred ms, too short for V8's optimising compiler to pay
    // back the CPU it spends (bench/run.mjs: ~100 ms of CPU, ~30 ms of wall time).
    // history and diff read thousands of reports, in worker threads too, and need it.
    setFlagsFromString('--max-opt=1');
  }
  try {
    if (argv.length === 0) return await runReport(REPORT_DEFAULTS);
    const { parseAndRun } = await import('./parseArguments.js');
    return await parseAndRun(argv);
  } catch (error) {
    if (error instanceof ClosedPipe) return EXIT_OK;
    const message = error instanceof Error ? error.message : String(error);
    writeStderr(`footprint: ${message.split('\n')[0]}\n`);
    return exitCodeFor(error);
  }
}
