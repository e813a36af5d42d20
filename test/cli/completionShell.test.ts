/** Which shell `completion [SHELL]` writes for: the word typed, else $SHELL's, as yargs would guess it. */
import { describe, expect, it } from '@jest/globals';
import { chooseCompletionShell, environmentFor, shellOfEnvironment } from '../../src/cli/completionShell.js';

describe('chooseCompletionShell', () => {
  it.each([
    [['zsh'], { SHELL: '/bin/bash' }, { shell: 'zsh' }],
    [['bash'], { SHELL: '/usr/bin/zsh' }, { shell: 'bash' }],
    [['fish'], {}, { shell: 'fish' }],
    [['/usr/local/bin/zsh'], {}, { shell: 'zsh' }],
    [[], { SHELL: '/usr/bin/zsh' }, { shell: 'zsh' }],
    [[], { SHELL: '/bin/sh', ZSH_NAME: 'zsh' }, { shell: 'zsh' }],
    [[], { SHELL: '/usr/bin/fish' }, { shell: 'fish' }],
    [[], {}, { shell: 'bash' }],
    [['csh'], {}, { error: 'completion: "csh" is not one of bash, zsh, fish' }],
    [['zsh', 'bash'], {}, { error: 'completion takes one shell at most (bash, zsh, fish), not 2 words' }],
  ])('%j with %j → %j', (words, env, expected) => {
    expect(chooseCompletionShell(words, env)).toEqual(expected);
  });
});

describe('environmentFor', () => {
  it("makes yargs' guess the shell chosen: $SHELL names it, $ZSH_NAME unset", () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      const env = environmentFor(shell);
      expect(env).toEqual({ SHELL: `/bin/${shell}`, ZSH_NAME: undefined });
      expect(shellOfEnvironment(env)).toBe(shell);
    }
  });
});
