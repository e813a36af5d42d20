import { shellQuote } from '../reduce/shellQuote.js';

/**
 * yargs' complaints, said for people: which command lacks which argument and
 * how it is written, a command's flags after `run` without `--`, an unknown
 * command or option with the nearest real one. Pure: yargs' message and what
 * was typed in, one line out.
 */

export interface UsageContext {
  /** The words typed after `footprint`. */
  argv: readonly string[];
  /** Each command's name and its synopsis as registered (`show <pid>`, `diff <old> <new>`). */
  commands: Readonly<Record<string, string>>;
  /** The long options (and their aliases) the command in use knows. */
  options: readonly string[];
}

/** Edit distance with a swap of two neighbours as one edit (shwo → show), for "did you mean". */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/** The nearest candidate within a third of the word's length (at least 1, at most 3 edits), or undefined. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function flag(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

function missingArguments(context: UsageContext): string | undefined {
  const at = context.argv.findIndex((word) => context.commands[word] !== undefined);
  if (at === -1) return undefined;
  const command = context.argv[at];
  const synopsis = context.commands[command];
  const required = synopsis.match(/<[^>]+>/g) ?? [];
  if (required.length === 0) return undefined;
  const given = context.argv.slice(at + 1).filter((word) => !word.startsWith('-')).length;
  const missing = required.slice(given).join(' ') || required.join(' ');
  return `${command} needs ${missing}: footprint ${synopsis} (footprint ${command} --help says more)`;
}

/** How an unknown word yargs names (without dashes) was typed: `--name`, `-n` (alone or in a cluster), or bare. */
function typedAs(word: string, argv: readonly string[]): string | undefined {
  const long = argv.find((arg) => arg.startsWith('-') && arg.replace(/^-+(no-)?/, '').split('=')[0] === word);
  if (long !== undefined) return long.startsWith('--') ? long.split('=')[0] : `-${word}`;
  return word.length === 1 && argv.some((arg) => /^-[^-]/.test(arg) && arg.includes(word)) ? `-${word}` : undefined;
}

/** One unknown word, said for people, and whether that says what to type instead. */
function describeUnknown(word: string, context: UsageContext, firstStray: boolean): { text: string; helps: boolean } {
  const typed = typedAs(word, context.argv);
  if (typed === undefined) {
    // Only the first stray word can be a mistyped command; the words after it are its arguments.
    const guess = firstStray ? nearest(word, Object.keys(context.commands)) : undefined;
    if (guess !== undefined) return { text: `unknown command "${word}"; did you mean ${guess}?`, helps: true };
    return { text: `"${word}" is not a command or an option`, helps: false };
  }
  if (typed === '-v' || typed === '-V') return { text: `unknown option ${typed} (--version prints the version)`, helps: true };
  const guess = typed.startsWith('--') ? nearest(word, context.options.filter((name) => name.length > 1)) : undefined;
  if (guess !== undefined) return { text: `unknown option ${typed}; did you mean ${flag(guess)}?`, helps: true };
  return { text: `unknown option ${typed}`, helps: false };
}

function unknownArguments(words: string[], context: UsageContext): string {
  if (context.argv[0] === 'run' && !context.argv.includes('--')) {
    // CMD starts at the first bare word that is not an option's value (a guess: run's options are few).
    const rest = context.argv.slice(1);
    const start = rest.findIndex((word, index) => !word.startsWith('-') && (index === 0 || !rest[index - 1].startsWith('-')));
    const command = start === -1 ? 'CMD [ARGS]' : rest.slice(start).map(shellQuote).join(' ');
    return `run: put -- before the command, so that its options are its own: footprint run [options] -- ${command}`;
  }
  // yargs names a dashed option twice, also in camelCase (proc-root, procRoot): keep the spelling typed.
  const camel = (name: string) => name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
  const unknown = words.filter((word) => !words.some((other) => other !== word && other.includes('-') && camel(other) === word));
  const firstStray = unknown.find((word) => typedAs(word, context.argv) === undefined);
  const described = unknown.map((word) => describeUnknown(word, context, word === firstStray));
  const mistypedCommand = described.find((part) => part.text.startsWith('unknown command'));
  if (mistypedCommand !== undefined) return mistypedCommand.text;
  const command = Object.keys(context.commands).find((name) => context.argv.includes(name));
  const help = described.some((part) => part.helps) ? '' : ` (footprint${command === undefined ? '' : ` ${command}`} --help lists them)`;
  return `${command === undefined ? '' : `${command}: `}${described.map((part) => part.text).join('; ')}${help}`;
}

function invalidChoice(message: string): string | undefined {
  const match = /^Invalid values: Argument: ([\w-]+), Given: (.*), Choices: (.*)$/.exec(message);
  if (match === null) return undefined;
  const choices = match[3].split(', ').map((choice) => choice.replace(/^"|"$/g, ''));
  return `--${match[1]}: ${match[2]} is not one of ${choices.join(', ')}`;
}

/** A pair of options yargs' conflicts() refused, in the words the report and save use for theirs. */
function conflictingOptions(message: string): string | undefined {
  const match = /^Arguments ([\w-]+) and ([\w-]+) are mutually exclusive$/.exec(message);
  return match === null ? undefined : `${flag(match[1])} and ${flag(match[2])} cannot be used together`;
}

/** One line for a usage error that yargs reported as `message` (already on one line). */
export function explainUsageError(message: string, context: UsageContext): string {
  if (/^Not enough non-option arguments/.test(message)) return missingArguments(context) ?? message;
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (unknown !== null) return unknownArguments(unknown[1].split(', '), context);
  return invalidChoice(message) ?? conflictingOptions(message) ?? message;
}

export interface ValuedOptions {
  /** Options that take a value (strings, choices), each with its aliases. */
  names: Readonly<Record<string, readonly string[]>>;
  choices: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * An option that takes a value but was given none (`--sort` last, or right
 * before another option): yargs would quietly use its default. One line naming
 * it, or undefined. Words after `--` are CMD's, not footprint's.
 */
export function missingOptionValue(argv: readonly string[], options: ValuedOptions): string | undefined {
  const end = argv.indexOf('--');
  const words = end === -1 ? argv : argv.slice(0, end);
  for (const [name, aliases] of Object.entries(options.names)) {
    const spellings = [name, ...aliases].map(flag);
    const index = words.findIndex((word) => spellings.includes(word));
    if (index === -1) continue;
    const next = words[index + 1];
    if (next !== undefined && !/^-[^\d]/.test(next)) continue;
    const choices = options.choices[name];
    const oneOf = choices === undefined ? '' : ` (one of ${choices.join(', ')})`;
    return `${words[index]} needs a value${oneOf}`;
  }
  return undefined;
}
