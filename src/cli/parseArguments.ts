import yargs, { type Argv } from 'yargs';
import { stdoutMayBeTerminal } from './output.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import type { CommandRunner } from './commandRunner.js';
import { COMMAND_TABLE } from './commandTable.js';
import { COMPLETION_COMMAND } from './commandNames.js';
import { explainUsageError, missingOptionValue } from './usageMessages.js';
import { chooseCompletionShell, environmentFor } from './completionShell.js';

/** Each command's name and synopsis (`show <pid>`), from the table, and yargs' own completion command. */
function commandSynopses(): Record<string, string> {
  const rows = Object.entries(COMMAND_TABLE).filter(([name]) => name !== '$0').map(([name, row]) => [name, row.synopsis]);
  return { ...Object.fromEntries(rows), [COMPLETION_COMMAND]: COMPLETION_COMMAND };
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

/** Sets (or, for undefined, removes) environment variables; returns what they were. */
function setEnvironment(values: Record<string, string | undefined>): Record<string, string | undefined> {
  const before = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return before;
}

/**
 * `footprint completion [SHELL]`: yargs' script for the shell named (bash, zsh
 * or fish), else for $SHELL's, with its "Installation:" line naming the shell.
 * yargs picks the script by $SHELL, read once, when a parser is made: the
 * environment says the shell chosen for that moment only.
 */
function printCompletionScript(words: readonly string[]): number {
  const choice = chooseCompletionShell(words, process.env);
  if ('error' in choice) throw new UsageError(choice.error);
  const before = setEnvironment(environmentFor(choice.shell));
  let parser: Argv;
  try {
    parser = yargs([]).scriptName('footprint');
  } finally {
    setEnvironment(before);
  }
  // yargs takes the name and the command for the script's "Installation:" line (@types/yargs knows neither).
  (parser as unknown as { showCompletionScript($0: string, command: string): void }).showCompletionScript('footprint', `${COMPLETION_COMMAND} ${choice.shell}`);
  return EXIT_OK;
}

/**
 * Parses arguments with yargs and runs one command; returns its exit code and
 * throws what main() reports. Command bodies are imported on demand, so the
 * report does not pay at start-up for show, capture, diff or history.
 */
export async function parseAndRun(argv: string[]): Promise<number> {
  // `completion`, `completion zsh`: the script; `completion --help` and the like are yargs' own.
  if (argv[0] === COMPLETION_COMMAND && !argv.slice(1).some((word) => word.startsWith('-'))) return printCompletionScript(argv.slice(1));
  let exitCode = EXIT_OK;
  const run: CommandRunner = (body) => async (args) => {
    exitCode = await body(args);
  };
  const synopses = commandSynopses();
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
    });
  for (const command of Object.values(COMMAND_TABLE)) command.register(parser, run);
  // Registered for help, --get-yargs-completions and `completion --help`; the script itself is printCompletionScript's.
  parser.completion(COMPLETION_COMMAND, 'Print bash, zsh or fish completion: footprint completion bash >> ~/.bashrc');
  await parser.parseAsync();
  return exitCode;
}
