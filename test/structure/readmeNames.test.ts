/**
 * README.md and docs/*.md name only commands and options that exist: every
 * `footprint COMMAND ...` line or span in code names a command of the command
 * table (src/cli/commandTable.ts) and options of that command's table, and
 * every `--option` anywhere is footprint's, a bench script's (read from
 * bench/*.mjs) or one of the few other programs' the text quotes. What exists
 * is read from the command table itself, so options added to a table are known
 * at once, and one removed fails here until the text stops naming it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Argv } from 'yargs';
import { COMMAND_TABLE } from '../../src/cli/commandTable.js';
import { COMPLETION_COMMAND } from '../../src/cli/commandNames.js';
import { REPO } from '../helpers/snapshots.js';
import { type KnownCommand, type KnownNames, unknownNames, unknownNamesIn } from '../helpers/docNames.js';

interface TableOption {
  alias?: string | readonly string[];
  type?: string;
}

/** Each command's options as its row registers them with yargs: a parser that only records. */
function commandOptions(): Map<string, KnownCommand> {
  const commands = new Map<string, KnownCommand>();
  for (const [name, row] of Object.entries(COMMAND_TABLE)) {
    const options = new Set<string>();
    const booleans = new Set<string>();
    const builder = {
      positional: () => builder,
      options(table: Record<string, TableOption>) {
        for (const [option, spec] of Object.entries(table)) {
          options.add(option);
          for (const alias of ([] as string[]).concat(spec.alias ?? [])) options.add(alias);
          if (spec.type === 'boolean') booleans.add(option);
        }
        return builder;
      },
      conflicts: () => builder,
      example: () => builder,
    };
    const parser = {
      command(_synopsis: string, _description: string, build: (y: typeof builder) => unknown) {
        build(builder);
        return parser;
      },
    };
    row.register(parser as unknown as Argv, () => async () => undefined);
    commands.set(name, { options, booleans });
  }
  // yargs' own command: `completion [bash|zsh|fish]`, no options of its own.
  commands.set(COMPLETION_COMMAND, { options: new Set(), booleans: new Set() });
  return commands;
}

/** The options the bench scripts read (`at('--rounds')`, `'--no-history'`), from their source. */
function benchOptions(): string[] {
  const dir = join(REPO, 'bench');
  return readdirSync(dir).filter((file) => file.endsWith('.mjs'))
    .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/['"`]--([a-z][a-z0-9-]*)['"`]/g)].map((match) => match[1]));
}

/** Other programs' options the text quotes, by program. */
const OTHER_PROGRAMS = {
  setpriv: ['reuid', 'regid', 'clear-groups', 'inh-caps', 'ambient-caps'],
  systemctl: ['now'],
  // node_exporter's --collector.textfile.directory and the exporters' --web.config.file, up to their first dot.
  exporters: ['collector', 'web'],
  // docs/bench.md's profile of a report: Node's and V8's flags, perf's.
  node: ['cpu-prof', 'cpu-prof-dir', 'trace-gc', 'max-opt', 'semi-space-growth-factor'],
  perf: ['tid'],
};

const KNOWN: KnownNames = {
  commands: commandOptions(),
  foreign: new Set([...benchOptions(), ...Object.values(OTHER_PROGRAMS).flat()]),
};

const DOCS = ['README.md', ...readdirSync(join(REPO, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];

describe('README.md and docs/ name only commands and options that exist', () => {
  it('reads the commands and their options from the command table', () => {
    expect([...KNOWN.commands.keys()]).toEqual(expect.arrayContaining(['$0', 'show', 'run', 'watch', 'serve', 'cgroups', 'completion']));
    expect(KNOWN.commands.get('show')!.options.has('mappings')).toBe(true);
    expect(KNOWN.commands.get('$0')!.options.has('mappings')).toBe(false);
    expect(KNOWN.commands.get('save')!.options.has('v')).toBe(true);
    expect(KNOWN.commands.get('run')!.booleans.has('cgroup')).toBe(true);
    expect(KNOWN.foreign.has('no-history')).toBe(true);
  });

  it.each(DOCS)('%s', (file) => {
    expect(unknownNames(readFileSync(join(REPO, file), 'utf8'), file, KNOWN)).toEqual([]);
  });

  it('README.md is a doorstep of at most 400 lines that links every file of docs/, and links only to docs that exist', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(400);
    const linked = new Set([...readme.matchAll(/\]\((docs\/[^)#\s]+\.md)/g)].map((match) => match[1]));
    expect(DOCS.filter((file) => file.startsWith('docs/') && !linked.has(file))).toEqual([]);
    for (const file of DOCS) {
      const text = readFileSync(join(REPO, file), 'utf8');
      const base = file.startsWith('docs/') ? 'docs' : '';
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+\.md)(?:#[^)]*)?\)/g)) {
        expect({ file, target, exists: DOCS.includes(join(base, target)) }).toEqual({ file, target, exists: true });
      }
    }
  });
});

describe('what the check finds', () => {
  it("an option a command does not have, in a command line or a span starting with the command's name", () => {
    const text = ['```sh', '$ footprint show 1234 --mapings', '```', 'Then `footprint --sort ram --bogus`, and `save -q --loud`.'].join('\n');
    expect(unknownNames(text, 'x.md', KNOWN).map((finding) => finding.name)).toEqual(['show --mapings', 'footprint --bogus', 'save --loud', '--mapings', '--bogus', '--loud']);
  });

  it('an option of another command is not that one\'s: --mappings belongs to show, not to the report', () => {
    expect(unknownNamesIn('--mappings', KNOWN)).toEqual(['footprint --mappings']);
    expect(unknownNamesIn('show 1 --mappings', KNOWN)).toEqual([]);
  });

  it('a command that does not exist; placeholders, messages and what follows -- are not commands', () => {
    expect(unknownNamesIn('frobnicate --json', KNOWN)).toEqual(['command frobnicate']);
    expect(unknownNamesIn('COMMAND --help', KNOWN)).toEqual([]);
    expect(unknownNamesIn('watch: OOM kill in /a', KNOWN)).toEqual([]);
    expect(unknownNamesIn("run --mark '^step' -- ./app --no-such-flag", KNOWN)).toEqual([]);
    expect(unknownNamesIn('run --no-cgroup -- true', KNOWN)).toEqual([]);
    expect(unknownNamesIn('export --top 2 | grep -v x', KNOWN)).toEqual([]);
  });
});
