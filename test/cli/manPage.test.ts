/** The man page the build makes from --help: man renders it, with a section per command and their options. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { REPO, runCli } from '../helpers/snapshots.js';

describe('man/footprint.1', () => {
  const page = spawnSync('man', ['-l', join(REPO, 'man', 'footprint.1')], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' } });

  it('renders, with a section for every command --help lists, in 80 columns', () => {
    expect(page.status).toBe(0);
    const commands = [...runCli(['--help']).stdout.matchAll(/^ {2}footprint (\w+)/gm)].map((match) => match[1]);
    expect(commands).toEqual(expect.arrayContaining(['show', 'capture', 'save', 'diff', 'history', 'run', 'watch', 'export', 'serve', 'completion']));
    const text = page.stdout.replace(/.\x08/g, '');
    for (const command of commands) expect(text).toMatch(new RegExp(`^footprint ${command}$`, 'm'));
    const lines = page.stdout.replace(/.\x08/g, '').split('\n');
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
  });

  it("says what each command's --help says", () => {
    const text = page.stdout.replace(/.\x08/g, '');
    expect(text).toContain('--mappings');
    expect(text).toContain('One row per backing file, by private dirty');
    expect(text).toContain('EXIT STATUS');
  });
});
