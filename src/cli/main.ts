import { fs } from './requireBuiltin.js';
import { writeStderr } from './output.js';
import { EXIT_OK, exitCodeFor } from './errors.js';
import { REPORT_DEFAULTS } from './reportDefaults.js';
import { isSmapsAvailable } from './rssOnlyFallback.js';
import { loadCompiled } from './loadCompiled.js';
import { tuneForShortRun } from './shortRunFlags.js';

type RunReport = typeof import('./commands/report.js').runReport;

/** The built report with its code cache (dist/bareReport.cjs); undefined when running from source. */
function loadBareReport(): RunReport | undefined {
  const bundle = decodeURIComponent(new URL('./bareReport.cjs', import.meta.url).pathname);
  return fs.existsSync(bundle) ? loadCompiled<{ runReport: RunReport }>(bundle).exports.runReport : undefined;
}

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
  if (!LONG_RUNNING_COMMANDS.has(argv[0] ?? '')) tuneForShortRun();
  try {
    const bareReport = argv.length === 0 && isSmapsAvailable() ? loadBareReport() : undefined;
    if (bareReport !== undefined) return await bareReport(REPORT_DEFAULTS);
    const { parseAndRun } = await import('./parseArguments.js');
    return await parseAndRun(argv);
  } catch (error) {
    // By name: the bare report's code is a separate (CommonJS) copy with classes of its own.
    if (error instanceof Error && error.name === 'ClosedPipe') return EXIT_OK;
    const message = error instanceof Error ? error.message : String(error);
    writeStderr(`footprint: ${message.split('\n')[0]}\n`);
    return exitCodeFor(error);
  }
}
