import { writeStderr } from './output.js';
import { EXIT_OK, exitCodeFor } from '../errors.js';
import { REPORT_DEFAULTS } from './reportDefaults.js';
import { isSmapsAvailable } from './rssOnlyFallback.js';
import { loadReportBundle } from '../startup/loadReportBundle.js';
import { loadOverTimeBundle } from '../startup/loadOverTimeBundle.js';
import { loadFilesBundle } from '../startup/loadFilesBundle.js';
import { loadServeBundle } from '../startup/loadServeBundle.js';
import { tuneForEnduringRun, tuneForServe, tuneForShortRun } from '../runtime/v8Flags.js';
import { isCommand, isEnduring, isLongRunning } from './commandNames.js';

type ReportBundle = typeof import('./entries/reportBundle.js');
type OverTimeBundle = typeof import('./entries/overTimeBundle.js');
type FilesBundle = typeof import('./entries/filesBundle.js');
type ServeBundle = typeof import('./entries/serveBundle.js');

/**
 * Runs one command and returns its exit code; only the bin sets it. Every
 * failure becomes one line on stderr, and a closed stdout (`| head`) a quiet 0.
 *
 * The report, the commonest run, starts from its own bundle: a bare
 * `footprint` has nothing to parse, and `--json`, `-n 10 --sort ram` and the
 * like are read by the bundle's reader of the report's options. yargs (a third
 * of the start-up time) is loaded only for commands, --help, --version and
 * anything that reader doubts, so errors are always yargs' own.
 */
export async function main(argv: string[]): Promise<number> {
  if (!isLongRunning(argv[0])) tuneForShortRun();
  if (isEnduring(argv[0])) tuneForEnduringRun();
  if (argv[0] === 'serve') tuneForServe(argv.slice(1));
  try {
    if (argv[0] === 'run') {
      // `run [OPTIONS] -- CMD`: CMD starts without waiting for yargs, unless the reader doubts the options.
      const overTime = loadOverTimeBundle<OverTimeBundle>();
      const runArgs = overTime?.readRunArguments(argv.slice(1));
      if (overTime !== undefined && runArgs !== undefined) {
        if (process.env.FOOTPRINT_DEBUG_STARTUP === '1') writeStderr('footprint: arguments read by the run bundle\n');
        return await overTime.runRun(runArgs);
      }
    }
    if (argv[0] === 'files') {
      // `files` and its plain options from their own bundle, as the report's.
      const files = loadFilesBundle<FilesBundle>();
      const filesArgs = files?.readFilesArguments(argv.slice(1));
      if (files !== undefined && filesArgs !== undefined) {
        if (process.env.FOOTPRINT_DEBUG_STARTUP === '1') writeStderr('footprint: arguments read by the files bundle\n');
        return await files.runFiles(filesArgs);
      }
    }
    if (argv[0] === 'serve') {
      // `serve` and its plain options from their own bundle: no yargs, no ES module loader in a process that runs for months.
      const serve = loadServeBundle<ServeBundle>();
      const serveArgs = serve?.readServeArguments(argv.slice(1));
      if (serve !== undefined && serveArgs !== undefined) {
        if (process.env.FOOTPRINT_DEBUG_STARTUP === '1') writeStderr('footprint: arguments read by the serve bundle\n');
        return await serve.runServe(serveArgs);
      }
    }
    // A command's arguments go straight to yargs, without loading the report first. (A name
    // missing from commandNames.ts would cost only that load: the report's reader hands any positional word to yargs.)
    const report = isCommand(argv[0]) || !isSmapsAvailable() ? undefined : loadReportBundle<ReportBundle>();
    const args = report === undefined ? undefined : argv.length === 0 ? REPORT_DEFAULTS : report.readReportArguments(argv);
    if (process.env.FOOTPRINT_DEBUG_STARTUP === '1') {
      writeStderr(`footprint: arguments read by ${args === undefined ? 'yargs' : 'the report bundle'}\n`);
    }
    if (report !== undefined && args !== undefined) return await report.runReport(args);
    const { parseAndRun } = await import('./parseArguments.js');
    return await parseAndRun(argv);
  } catch (error) {
    // By name: the report bundle's code is a separate (CommonJS) copy with classes of its own.
    if (error instanceof Error && error.name === 'ClosedPipe') return EXIT_OK;
    const message = error instanceof Error ? error.message : String(error);
    writeStderr(`footprint: ${message.split('\n')[0]}\n`);
    return exitCodeFor(error);
  }
}
