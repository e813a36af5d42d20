import yargs, { type Argv } from 'yargs';
import { parsePositiveInteger, REPORT_OPTIONS } from './reportOptions.js';
import { stdoutMayBeTerminal } from './output.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { UNITS as UNIT_CHOICES } from '../model/units.js';
import { registerReportStoreCommands } from './storeCommands.js';
import { registerOverTimeCommands } from './overTimeCommands.js';
import { registerFleetCommands } from './fleetCommands.js';
import { registerCgroupCommands } from './cgroupCommands.js';
import { VERSION } from '../version.js';
import { runReport } from './commands/report.js';
import type { CommandRunner } from './commandRunner.js';
import { explainUsageError, missingOptionValue } from './usageMessages.js';

/** Each registered command's name and synopsis (`show <pid>`), from yargs' own table. */
function commandSynopses(parser: Argv): Record<string, string> {
  const handlers = (parser as unknown as { getInternalMethods(): { getCommandInstance(): { getCommandHandlers(): Record<string, { original: string }> } } })
    .getInternalMethods().getCommandInstance().getCommandHandlers();
  return Object.fromEntries(Object.entries(handlers).filter(([name]) => name !== '$0').map(([name, handler]) => [name, handler.original]));
}

/** The options of the command being run that take a value, from yargs' table (yargs holds one command's at a time). */
function valuedOptions(parser: Argv) {
  const options = (parser as unknown as { getOptions(): { string: string[]; choices: Record<string, unknown[]>; alias: Record<string, string[]>; boolean: string[] } }).getOptions();
  const valued = new Set([...options.string, ...Object.keys(options.choices)].filter((name) => !options.boolean.includes(name)));
  return { names: Object.fromEntries([...valued].map((name) => [name, options.alias[name] ?? []])), choices: options.choices };
}

/** The options the command being run knows, with their aliases (yargs holds one command's at a time). */
function optionNames(parser: Argv): string[] {
  const options = (parser as unknown as { getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]> } }).getOptions();
  return [...Object.keys(options.key), ...Object.values(options.alias).flat()];
}

// overTimeCommands.ts still takes the type from here (its owner moves it to ./commandRunner.js).
export type { CommandRunner };

/**
 * Parses arguments with yargs and runs one command; returns its exit code and
 * throws what main() reports. Command bodies are imported on demand, so the
 * report does not pay at start-up for show, capture, diff or history.
 */
export async function parseAndRun(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const run: CommandRunner = (body) => async (args) => {
    exitCode = await body(args);
  };
  let synopses: Record<string, string> = {};
  const parser: Argv = yargs(argv)
    .scriptName('footprint')
    .usage('$0 [command] [options]\n\nRank processes by writable memory (private dirty), with shared totals beside it.')
    .strict()
    .showHelpOnFail(false)
    .help()
    .alias('h', 'help')
    .version(VERSION)
    .wrap(Math.min(110, (stdoutMayBeTerminal() ? process.stdout.columns : undefined) ?? (Number(process.env.COLUMNS) || 110)))
    .fail((message, error) => {
      // yargs' own complaints (bad choices, a --pid coerce that threw) arrive as YError,
      // some spread over lines ("Invalid values:\n  Argument: sort, ..."): one line, exit 2.
      if (error !== undefined && error !== null && error.name !== 'YError') throw error;
      const oneLine = (error?.message ?? message).replace(/\s*\n\s*/g, ' ');
      throw new UsageError(explainUsageError(oneLine, { argv, commands: synopses, options: optionNames(parser) }));
    })
    .middleware(() => {
      const missing = missingOptionValue(argv, valuedOptions(parser));
      if (missing !== undefined) throw new UsageError(missing);
    })
    .command(
      '$0',
      'Rank every readable process by writable memory',
      (y) =>
        y
          .options(REPORT_OPTIONS)
          .example('$0', 'Rank programs by writable memory')
          .example('$0 --sort ram -n 10', 'The ten programs using the most RAM')
          .example('$0 -u www-data --group cmdline', "One line per command line of www-data's processes")
          .example('$0 --estimate', "Also estimate other users' processes from their status")
          .example('$0 --json > report.json', 'Machine-readable report (footprint.report/1)'),
      run(async (args) => runReport({ ...args, top: parsePositiveInteger('--top', args.top) })),
    )
    .command(
      'show <pid>',
      'Show where inside one process the memory sits',
      (y) =>
        y
          // demandOption tells the types what <pid> in the command already makes yargs demand (positional() drops the key).
          .positional('pid', { type: 'string', demandOption: true, describe: 'Process ID' })
          .option('mappings', { type: 'boolean', default: false, describe: 'One row per backing file, by private dirty' })
          .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
          .option('units', { choices: UNIT_CHOICES, default: 'KiB' as const, describe: 'Units for text output' })
          .option('proc-root', { type: 'string', describe: 'Read a captured /proc tree instead of /proc' })
          .example('$0 show 1234', 'Code, data and read-only memory of process 1234, mapped vs anonymous')
          .example('$0 show 1234 --mappings', 'Which library or region costs what'),
      run(async (args) => {
        const { runShow } = await import('./commands/show.js');
        return runShow(args);
      }),
    )
    .command(
      'capture <dir>',
      'Save the /proc files footprint reads, for offline reports',
      (y) =>
        y
          // demandOption tells the types what <dir> in the command already makes yargs demand (positional() drops the key).
          .positional('dir', { type: 'string', demandOption: true, describe: 'Directory to write DIR/proc/... into' })
          .option('pid', { alias: 'p', type: 'string', describe: 'Only these PIDs (comma-separated)' })
          .option('proc-root', { type: 'string', describe: 'Copy from this tree instead of /proc' })
          .example('$0 capture /tmp/snap && $0 --proc-root /tmp/snap/proc', 'The same report, offline'),
      run(async (args) => {
        const { runCapture } = await import('./commands/capture.js');
        return runCapture(args);
      }),
    );
  registerReportStoreCommands(parser, run);
  registerOverTimeCommands(parser, run);
  registerFleetCommands(parser, run);
  registerCgroupCommands(parser, run);
  // `footprint completion >> ~/.bashrc` (or ~/.zshrc: yargs writes zsh's when $SHELL is zsh).
  parser.completion('completion', 'Print a bash or zsh completion script: footprint completion >> ~/.bashrc');
  // Read once all are registered: while a command runs, yargs' table holds only that one.
  synopses = commandSynopses(parser);
  await parser.parseAsync();
  return exitCode;
}
