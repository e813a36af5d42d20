/**
 * Shell completion, for real: bash sources `footprint completion` and completes
 * a word the way it does at a prompt (COMP_WORDS, the script's function), with
 * footprint on PATH as an installed one would be.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { BIN, runCli } from '../helpers/snapshots.js';

const bin = mkdtempSync(join(tmpdir(), 'footprint-completion-'));
writeFileSync(join(bin, 'footprint'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
chmodSync(join(bin, 'footprint'), 0o755);
afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** What bash offers for the last of `words` (COMPREPLY), one per line. */
function complete(words: string[]): string[] {
  const script = runCli(['completion']).stdout;
  const driver = `${script}\nCOMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}\n_footprint_yargs_completions\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['-c', driver], { encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' }, timeout: 30_000 });
  return result.stdout.split('\n').filter((line) => line !== '');
}

describe('footprint completion (bash)', () => {
  it('prints a script bash can source, naming the footprint command', () => {
    const result = runCli(['completion']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('complete -o bashdefault -o default -F _footprint_yargs_completions footprint');
    expect(spawnSync('bash', ['-n', '-c', result.stdout]).status).toBe(0);
  });

  it('completes command names', () => {
    expect(complete(['footprint', 'sh'])).toEqual(['show']);
    expect(complete(['footprint', 'hi'])).toEqual(['history']);
  });

  it("completes a command's options", () => {
    expect(complete(['footprint', 'save', '--ver']).sort()).toEqual(['--verbose', '--version']);
  });
});
