import parseArgs from 'yargs-parser';
import type { ArgsOf, OptionTable } from './commandArgs.js';

/** What yargs hands yargs-parser for a table: aliases and types (choices and defaults are yargs' own). */
function parserOptions(table: OptionTable): parseArgs.Options {
  const alias: Record<string, string[]> = {};
  const boolean: string[] = [];
  const string: string[] = [];
  for (const [name, option] of Object.entries(table)) {
    if (option.alias !== undefined) alias[name] = ([] as string[]).concat(option.alias);
    if (option.type === 'boolean') boolean.push(name);
    if (option.type === 'string') string.push(name);
  }
  // As yargs configures it (yargs-factory.js, its parse of the arguments).
  return { alias, boolean, string, configuration: { 'parse-positional-numbers': false, 'populate--': true } };
}

/** A table's parser settings, twice: as yargs reads it, and with every option an array, so that a repeat shows. */
function parsersOf(table: OptionTable): { once: parseArgs.Options; each: parseArgs.Options; known: Set<string> } {
  const once = parserOptions(table);
  return {
    once,
    each: { ...once, array: Object.keys(table) },
    // Every key yargs-parser may set for the table: names, aliases, and camelCase twins of dashed names.
    known: new Set(['_', ...Object.entries(table).flatMap(([name, option]) => [name, parseArgs.camelCase(name), ...([] as string[]).concat(option.alias ?? [])])]),
  };
}

const parsersByTable = new Map<OptionTable, ReturnType<typeof parsersOf>>();

/** The value an option was given once, or undefined when it was given in more than one way or more than once. */
function givenOnce(name: string, values: parseArgs.Arguments, occurrences: parseArgs.Arguments): unknown {
  const value = values[name];
  const each = occurrences[name];
  return Array.isArray(each) && each.length === 1 && each[0] === value ? value : undefined;
}

/**
 * Reads options of `table` without loading yargs: parsed by yargs-parser (the
 * parser yargs is built on) with the option table yargs uses, and checked as
 * yargs would check them. Returns each option's value (its default where not
 * given), or undefined at the least doubt — an unknown option, a positional
 * word, `--`, an option given twice or spelled in two ways, a value yargs would
 * refuse or read otherwise, --help, --version — and the caller then hands the
 * whole argv to yargs, so that every error and every odd case is what yargs makes of it.
 * The values are keyed as yargs hands them to a command (camelCase) and, where
 * the table has a coerce, coerced as yargs would; a coerce that throws is a doubt too.
 */
export function readOptionTable<O extends OptionTable>(argv: readonly string[], table: O): ArgsOf<O> | undefined {
  // `--` ends the options; a lone one leaves no trace in what yargs-parser returns.
  if (argv.includes('--')) return undefined;
  let parsers = parsersByTable.get(table);
  if (parsers === undefined) {
    parsers = parsersOf(table);
    parsersByTable.set(table, parsers);
  }
  const values = parseArgs([...argv], parsers.once);
  if (values._.length > 0) return undefined;
  for (const key of Object.keys(values)) {
    if (!parsers.known.has(key)) return undefined;
  }
  // Read a second time with every option an array: each occurrence must be one, and read alike.
  const occurrences = parseArgs([...argv], parsers.each);
  const given: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(table)) {
    if (values[name] === undefined) {
      // A camelCase spelling alone (--procRoot) is yargs' to read.
      if (values[parseArgs.camelCase(name)] !== undefined) return undefined;
      if (option.default !== undefined) given[parseArgs.camelCase(name)] = option.default;
      continue;
    }
    const value = givenOnce(name, values, occurrences);
    if (value === undefined) return undefined;
    if (option.type === 'boolean' ? typeof value !== 'boolean' : typeof value !== 'string' || value === '') return undefined;
    if (option.choices !== undefined && !(option.choices as readonly unknown[]).includes(value)) return undefined;
    try {
      given[parseArgs.camelCase(name)] = option.coerce === undefined ? value : option.coerce(value);
    } catch {
      return undefined; // yargs says what was wrong
    }
  }
  // Read by the table's own names, types and choices: what ArgsOf<O> says of them.
  return given as ArgsOf<O>;
}

