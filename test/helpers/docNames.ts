/**
 * The command names and options a markdown text names, for the test that
 * README.md and docs/ name only what exists (test/structure/readmeNames.test.ts).
 * Pure: markdown in, findings out; what exists comes from the caller (the
 * command table).
 */

/** One command's options as its table has them: names, aliases, and which are boolean (`--no-NAME`). */
export interface KnownCommand {
  options: ReadonlySet<string>;
  booleans: ReadonlySet<string>;
}

export interface KnownNames {
  /** Keyed by command name; '$0' is the report. */
  commands: ReadonlyMap<string, KnownCommand>;
  /** Long options of other programs the text quotes (setpriv's, the bench scripts'), allowed anywhere but in a footprint command line. */
  foreign: ReadonlySet<string>;
}

/** A name that does not exist, where it was found. */
export interface Finding {
  name: string;
  where: string;
}

/** Options yargs adds to every command. */
const YARGS_OPTIONS = new Set(['help', 'h', 'version']);

/** The text's fenced code lines, its indented code lines, and its inline code spans. */
export function codeOf(markdown: string): { lines: string[]; spans: string[] } {
  const lines: string[] = [];
  const prose: string[] = [];
  let fenced = false;
  // An indented code block starts after a blank line; an indented line right after text continues a list item.
  let indentedCode = false;
  let previous = '';
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      previous = line;
      continue;
    }
    indentedCode = !fenced && /^ {4,}\S/.test(line) && (indentedCode || previous.trim() === '');
    if (fenced || indentedCode) lines.push(line);
    else prose.push(line);
    previous = line;
  }
  const spans = [...prose.join('\n').matchAll(/`([^`\n]+)`/g)].map((match) => match[1]);
  return { lines, spans };
}

/** The footprint command lines in code: a line or span that starts with `footprint ` (after `$ `), and whatever follows `bin/footprint.js `. */
export function invocationsOf(markdown: string): string[] {
  const { lines, spans } = codeOf(markdown);
  const found: string[] = [];
  for (const text of [...lines, ...spans]) {
    const start = /^\s*(?:\$\s+)?(?:sudo\s+)?footprint\s+(.*)$/.exec(text);
    if (start !== null) found.push(start[1]);
    for (const match of text.matchAll(/bin\/footprint\.js\s+([^`]*)/g)) found.push(match[1]);
  }
  return found;
}

/** Spans that begin with a command's name and an option (`save -q -v`, `run --json FILE`): that command's options. */
export function commandSpansOf(markdown: string, commands: Iterable<string>): string[] {
  const names = new Set(commands);
  return codeOf(markdown).spans.filter((span) => {
    const [first, second] = span.trim().split(/\s+/);
    return names.has(first) && second !== undefined && second.startsWith('-') && second !== '--';
  });
}

/** The words of one shell command: up to a pipe, `;`, `&&`, a redirection, a comment or a closing parenthesis; quoted strings as one word. */
function wordsOf(command: string): string[] {
  const unquoted = command.replace(/'[^']*'|"[^"]*"/g, 'QUOTED');
  const end = unquoted.search(/\s[|;&<>#]|[|;&<>)]|\s#/);
  return (end === -1 ? unquoted : unquoted.slice(0, end)).split(/\s+/).filter((word) => word !== '');
}

/** Whether `option` (without dashes, before any `=`) is one of `command`'s. */
function knows(command: KnownCommand, option: string): boolean {
  if (YARGS_OPTIONS.has(option) || command.options.has(option)) return true;
  return option.startsWith('no-') && command.booleans.has(option.slice(3));
}

/**
 * The names in one command line that do not exist: a first word that is not a
 * command (lower case: `footprint COMMAND` and the like are placeholders), and
 * options that are not that command's, up to a lone `--` (the rest is CMD's).
 */
export function unknownNamesIn(line: string, known: KnownNames): string[] {
  const words = wordsOf(line);
  if (words.length === 0 || words[0].endsWith(':')) return []; // a message footprint printed, not a command line
  let command = '$0';
  let rest = words;
  if (!words[0].startsWith('-')) {
    if (known.commands.has(words[0])) {
      command = words[0];
      rest = words.slice(1);
    } else if (/^[a-z][a-z-]*$/.test(words[0])) {
      return [`command ${words[0]}`];
    } else {
      rest = words.slice(1);
    }
  }
  const table = known.commands.get(command)!;
  const unknown: string[] = [];
  for (const word of rest) {
    if (word === '--') break;
    const cleaned = word.replace(/^[[(]+|[\]),.]+$/g, '');
    const long = /^--([a-z][a-z0-9-]*)(?:=.*)?$/.exec(cleaned);
    const short = /^-([a-zA-Z])$/.exec(cleaned);
    const option = long?.[1] ?? short?.[1];
    if (option !== undefined && !knows(table, option)) unknown.push(`${command === '$0' ? 'footprint' : command} ${long === null ? '-' : '--'}${option}`);
  }
  return unknown;
}

/** Every `--name` of the text, wherever it stands. */
export function longOptionsIn(markdown: string): string[] {
  return [...markdown.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((match) => match[1]);
}

/** What a markdown text names that does not exist: commands and options in footprint command lines, and long options anywhere. */
export function unknownNames(markdown: string, where: string, known: KnownNames): Finding[] {
  const findings: Finding[] = [];
  for (const line of invocationsOf(markdown)) {
    for (const name of unknownNamesIn(line, known)) findings.push({ name, where: `${where}: footprint ${line}` });
  }
  for (const span of commandSpansOf(markdown, [...known.commands.keys()].filter((name) => name !== '$0'))) {
    for (const name of unknownNamesIn(span, known)) findings.push({ name, where: `${where}: ${span}` });
  }
  const anyCommand = (option: string) => [...known.commands.values()].some((command) => knows(command, option));
  for (const option of new Set(longOptionsIn(markdown))) {
    if (!anyCommand(option) && !known.foreign.has(option)) findings.push({ name: `--${option}`, where });
  }
  return findings;
}
