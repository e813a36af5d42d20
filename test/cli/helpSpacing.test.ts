/**
 * Help lines keep their spaces: yargs (cliui) puts an option's extras
 * ([boolean] [default: false]) on its description's last line when they fit,
 * and used to join them with no space when they fitted exactly
 * (`growing[boolean]` in `watch --help` at 80 columns). The build makes cliui
 * ask for one space at least (scripts/build.mjs); this reads every command's
 * help at the widths people use and at the man page's.
 */
import { describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/snapshots.js';

/** yargs' extras, as it writes them after a description. */
const JOINED_EXTRAS = /\S\[(boolean|string|number|array|count|required|default:|choices:|aliases:|deprecated)/;
const WIDTHS = [72, 80, 100, 110];

function help(args: string[], columns: number): string {
  const result = runCli([...args, '--help'], { env: { ...process.env, NO_COLOR: '1', COLUMNS: String(columns) } });
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('help lines', () => {
  const commands = [...help([], 80).matchAll(/^ {2}footprint (\w+)/gm)].map((match) => match[1]).filter((name) => name !== 'completion');

  it('watch --help at 80 columns puts --fail-on-leak\'s extras after a space (the line the issue quotes)', () => {
    const lines = help(['watch'], 80).split('\n');
    const at = lines.findIndex((line) => line.includes('--fail-on-leak'));
    expect(lines[at]).toMatch(/Exit 3 when the trend is growing\s*$/);
    expect(lines[at + 1]).toMatch(/^\s+\[boolean\] \[default: false\]$/);
  });

  it.each(WIDTHS)('never join a description to its extras, for every command, at %i columns', (columns) => {
    expect(commands.length).toBeGreaterThanOrEqual(10);
    for (const command of ['', ...commands]) {
      const joined = help(command === '' ? [] : [command], columns).split('\n').filter((line) => JOINED_EXTRAS.test(line));
      expect({ command, joined }).toEqual({ command, joined: [] });
    }
  });
});
