/**
 * The part of the table of commands (commandTable.ts) that main() reads before
 * it loads anything: each command's name and how long it runs. Nothing else,
 * so that the start-up entry stays small: no yargs, no option table, no body.
 * commandTable.ts has a row for each name here (its type makes sure of it).
 */
interface CommandKind {
  /** May read thousands of files, or one file of millions of lines (show: the smaps of 65,530 mappings): the optimiser pays for itself there. */
  longRunning?: true;
  /** Samples for as long as it is left running: its own memory must stay flat. */
  enduring?: true;
}

export const COMMAND_KINDS = {
  show: { longRunning: true },
  capture: {},
  save: {},
  diff: { longRunning: true },
  history: { longRunning: true },
  run: { longRunning: true, enduring: true },
  watch: { longRunning: true, enduring: true },
  export: {},
  serve: { longRunning: true, enduring: true },
  cgroups: {},
  files: { longRunning: true },
  shmem: { longRunning: true },
} as const satisfies Record<string, CommandKind>;

export type CommandName = keyof typeof COMMAND_KINDS;

/** yargs' own: the completion script, and the word a shell's completion calls footprint with. */
export const COMPLETION_COMMAND = 'completion';
const YARGS_COMMANDS: readonly string[] = [COMPLETION_COMMAND, '--get-yargs-completions'];

function kindOf(word: string | undefined): CommandKind | undefined {
  return word !== undefined && Object.hasOwn(COMMAND_KINDS, word) ? (COMMAND_KINDS as Record<string, CommandKind>)[word] : undefined;
}

/** Whether `word` (the first argument) names a command: its arguments then go to yargs, not the report's reader. */
export function isCommand(word: string | undefined): boolean {
  return kindOf(word) !== undefined || YARGS_COMMANDS.includes(word ?? '');
}

export function isLongRunning(word: string | undefined): boolean {
  return kindOf(word)?.longRunning === true;
}

export function isEnduring(word: string | undefined): boolean {
  return kindOf(word)?.enduring === true;
}
