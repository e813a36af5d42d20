/**
 * What each start-up path loads, read from the imports that stay in the built
 * code (static ones that are not `import type`; an `import()` loads later, on
 * demand): main() reads only the names of the commands (cli/commandNames.ts),
 * never yargs, an option table or a command's body; the report's and run's
 * bundles read their options without yargs. And the built files agree.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { COMMAND_KINDS } from '../../src/cli/commandNames.js';
import { COMMAND_TABLE } from '../../src/cli/commandTable.js';

const REPO = resolve(import.meta.dirname, '../..');
const SRC = join(REPO, 'src');

/** import … from '…', export … from '…' and import '…', without type-only ones and without import(). */
const LOADED = /(?:^|[\s;])(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

/** Every file of src/ and every package that loading `entry` (a path under src/) loads at once. */
function loadedBy(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(SRC, file), 'utf8');
    for (const [, specifier] of text.matchAll(LOADED)) {
      if (!specifier.startsWith('.')) packages.add(specifier);
      else visit(relative(SRC, resolve(dirname(join(SRC, file)), specifier.replace(/\.js$/, '.ts'))));
    }
  };
  visit(entry);
  return { files, packages };
}

describe('what start-up loads', () => {
  it('reads the imports it must: a multi-line one, and not a type-only one or an import()', () => {
    const table = loadedBy('cli/commandTable.ts');
    expect(table.files).toContain('cli/options/report.ts');
    expect(table.files).not.toContain('cli/commands/show.ts'); // import(): loaded when show runs
    expect(table.packages).not.toContain('yargs'); // import type { Argv }
    expect(loadedBy('cli/parseArguments.ts').packages).toContain('yargs');
  });

  it('main() loads the names of the commands, and no yargs, option table, command body or table of commands', () => {
    const { files, packages } = loadedBy('cli/main.ts');
    expect(files).toContain('cli/commandNames.ts');
    expect([...packages].filter((name) => name.startsWith('yargs'))).toEqual([]);
    expect([...files].filter((file) => /^cli\/(options\/|commands\/|commandTable|parseArguments|optionTable|values\/report)/.test(file))).toEqual([]);
  });

  it.each([['cli/entries/reportBundle.ts'], ['cli/entries/overTimeBundle.ts']])('%s reads its options with yargs-parser alone, not yargs', (entry) => {
    const { files, packages } = loadedBy(entry);
    expect(packages).toContain('yargs-parser');
    expect(packages).not.toContain('yargs');
    expect(files).not.toContain('cli/commandTable.ts');
    expect(files).not.toContain('cli/parseArguments.ts');
  });

  it('the table of commands has a row for every name main() knows, and the report first', () => {
    expect(Object.keys(COMMAND_TABLE)).toEqual(['$0', ...Object.keys(COMMAND_KINDS)]);
    for (const [name, row] of Object.entries(COMMAND_TABLE)) expect(row.synopsis.split(' ')[0]).toBe(name);
  });

  // The built bundles (npm run build): yargs' own messages are in the one that parses with yargs only.
  const built = (name: string) => readFileSync(join(REPO, 'dist', name), 'utf8');
  const YARGS_MESSAGE = 'Not enough non-option arguments';
  it.each([['footprint.cjs'], ['report.cjs'], ['overTime.cjs']])('dist/%s has none of yargs', (name) => {
    expect(existsSync(join(REPO, 'dist', name))).toBe(true);
    expect(built(name)).not.toContain(YARGS_MESSAGE);
  });

  it('dist/footprint.cjs stays small (the entry every run compiles)', () => {
    expect(built('footprint.cjs').length).toBeLessThan(8 * 1024);
  });
});
