import parseArgs from 'yargs-parser';
import type { Options } from 'yargs';
import type { ReportArgs } from './commands/report.js';
import { REPORT_OPTIONS, parsePidList, parsePositiveInteger } from './reportOptions.js';

type OptionTable = Record<string, Options>;

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

const REPORT_PARSER = parserOptions(REPORT_OPTIONS);
/** The same, with every option an array too: each occurrence becomes an element, so a repeat shows. */
const OCCURRENCE_PARSER: parseArgs.Options = { ...REPORT_PARSER, array: Object.keys(REPORT_OPTIONS) };

/** Every key yargs-parser may set for the table: names, aliases, and camelCase twins of dashed names. */
const KNOWN_KEYS = new Set(['_', ...Object.entries(REPORT_OPTIONS as OptionTable).flatMap(
  ([name, option]) => [name, parseArgs.camelCase(name), ...([] as string[]).concat(option.alias ?? [])],
)]);

/** The value an option was given once, or undefined when it was given in more than one way or more than once. */
function givenOnce(name: string, values: parseArgs.Arguments, occurrences: parseArgs.Arguments): unknown {
  const value = values[name];
  const each = occurrences[name];
  return Array.isArray(each) && each.length === 1 && each[0] === value ? value : undefined;
}

/**
 * Reads the report's own options without loading yargs: the arguments of
 * `footprint --json`, `footprint -n 10 --sort ram` and their like, parsed by
 * yargs-parser (the parser yargs is built on) with the option table yargs uses
 * (REPORT_OPTIONS), and checked as yargs would check them. Returns undefined at
 * the least doubt — an unknown option, a positional word or command, `--`, an
 * option given twice or spelled in two ways, a value yargs would refuse or read
 * otherwise, --help, --version — and the caller then hands the whole argv to
 * yargs, so that every error and every odd case is what yargs makes of it.
 */
export function readReportArguments(argv: readonly string[]): ReportArgs | undefined {
  // `--` ends the options; a lone one leaves no trace in what yargs-parser returns.
  if (argv.includes('--')) return undefined;
  const values = parseArgs([...argv], REPORT_PARSER);
  if (values._.length > 0) return undefined;
  for (const key of Object.keys(values)) {
    if (!KNOWN_KEYS.has(key)) return undefined;
  }
  // Read a second time with every option an array: each occurrence must be one, and read alike.
  const occurrences = parseArgs([...argv], OCCURRENCE_PARSER);
  const given: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(REPORT_OPTIONS as OptionTable)) {
    if (values[name] === undefined) {
      // A camelCase spelling alone (--procRoot) is yargs' to read.
      if (values[parseArgs.camelCase(name)] !== undefined) return undefined;
      given[name] = option.default;
      continue;
    }
    const value = givenOnce(name, values, occurrences);
    if (value === undefined) return undefined;
    if (option.type === 'boolean' ? typeof value !== 'boolean' : typeof value !== 'string' || value === '') return undefined;
    if (option.choices !== undefined && !(option.choices as readonly unknown[]).includes(value)) return undefined;
    given[name] = value;
  }
  let pid: number[] | undefined;
  let top: number | undefined;
  try {
    pid = parsePidList(given.pid as string | undefined);
    top = parsePositiveInteger('--top', given.top);
  } catch {
    return undefined; // yargs says what was wrong
  }
  return {
    group: given.group as ReportArgs['group'],
    estimate: given.estimate as boolean,
    pid,
    user: given.user as string | undefined,
    procRoot: given['proc-root'] as string | undefined,
    sort: given.sort as ReportArgs['sort'],
    reverse: given.reverse as boolean,
    top,
    json: given.json as boolean,
    csv: given.csv as boolean,
    units: given.units as ReportArgs['units'],
  };
}
