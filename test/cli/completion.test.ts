/**
 * Shell completion, for real: bash sources `footprint completion bash` and completes
 * a word the way it does at a prompt (COMP_WORDS, the script's function), with
 * footprint on PATH as an installed one would be. `completion zsh` and `completion
 * fish` print their shell's script whatever $SHELL says (zsh and fish are not
 * installed here: their scripts are checked by what they say).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { BIN, runCli } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

const bin = tempDir('footprint-completion-');
writeFileSync(join(bin, 'footprint'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
chmodSync(join(bin, 'footprint'), 0o755);
afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** What bash offers for the last of `words` (COMPREPLY), one per line. */
function complete(words: string[]): string[] {
  const script = runCli(['completion', 'bash']).stdout;
  const driver = `${script}\nCOMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}\n_footprint_yargs_completions\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['-c', driver], { encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' }, timeout: 30_000 });
  return result.stdout.split('\n').filter((line) => line !== '');
}

/** `footprint completion ...words` run with $SHELL set to `shell`. */
function completionIn(shell: string, words: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', SHELL: shell };
  delete env.ZSH_NAME;
  return runCli(['completion', ...words], { env });
}

const BASH_LINE = 'complete -o bashdefault -o default -F _footprint_yargs_completions footprint';

describe('footprint completion SHELL', () => {
  it('zsh: the zsh script, though $SHELL is bash (it printed bash\'s)', () => {
    const result = completionIn('/bin/bash', ['zsh']);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('#compdef footprint');
    expect(result.stdout).toContain('compdef _footprint_yargs_completions footprint');
    expect(result.stdout).toContain('# Installation: footprint completion zsh >> ~/.zshrc');
    expect(result.stdout).not.toContain(BASH_LINE);
  });

  it('bash: the bash script, though $SHELL is zsh', () => {
    const result = completionIn('/usr/bin/zsh', ['bash']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(BASH_LINE);
    expect(result.stdout).toContain('# Installation: footprint completion bash >> ~/.bashrc');
    expect(result.stdout).not.toContain('compdef');
  });

  it('fish: the fish script; a path to a shell names it too', () => {
    const fish = completionIn('/bin/bash', ['fish']);
    expect(fish.status).toBe(0);
    expect(fish.stdout).toContain("complete -f -c footprint -a '(footprint --get-yargs-completions (commandline -o)[2..-1])'");
    expect(completionIn('/bin/bash', ['/usr/bin/zsh']).stdout.split('\n')[0]).toBe('#compdef footprint');
  });

  it("alone: $SHELL's script, as before", () => {
    expect(completionIn('/usr/bin/zsh', []).stdout.split('\n')[0]).toBe('#compdef footprint');
    expect(completionIn('/bin/bash', []).stdout).toContain(BASH_LINE);
  });

  it('a shell it has no script for, or two shells: one line, exit 2', () => {
    const csh = completionIn('/bin/bash', ['csh']);
    expect(csh).toEqual({ status: 2, stdout: '', stderr: 'footprint: completion: "csh" is not one of bash, zsh, fish\n' });
    const two = completionIn('/bin/bash', ['zsh', 'bash']);
    expect(two).toEqual({ status: 2, stdout: '', stderr: 'footprint: completion takes one shell at most (bash, zsh, fish), not 2 words\n' });
  });
});

describe('footprint completion (bash)', () => {
  it('prints a script bash can source, naming the footprint command', () => {
    const result = runCli(['completion', 'bash']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(BASH_LINE);
    expect(spawnSync('bash', ['-n', '-c', result.stdout]).status).toBe(0);
  });

  it('completes command names', () => {
    expect(complete(['footprint', 'sh'])).toEqual(['show', 'shmem']);
    expect(complete(['footprint', 'hi'])).toEqual(['history']);
  });

  it("completes a command's options", () => {
    expect(complete(['footprint', 'save', '--ver']).sort()).toEqual(['--verbose', '--version']);
  });
});
