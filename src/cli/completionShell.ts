/**
 * Which shell `footprint completion [SHELL]` writes its script for. yargs
 * writes one for the shell in $SHELL (or $ZSH_NAME) only, so `completion zsh`
 * typed in bash printed bash's script. Pure: the words after `completion` and
 * the environment in, a shell or a one-line complaint out.
 */

/** The shells yargs has a completion script for. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

export type CompletionChoice = { shell: CompletionShell } | { error: string };

function isCompletionShell(word: string): word is CompletionShell {
  return (COMPLETION_SHELLS as readonly string[]).includes(word);
}

/** The shell yargs would pick by itself: zsh or fish when $SHELL (or $ZSH_NAME) says so, else bash. */
export function shellOfEnvironment(env: Readonly<Record<string, string | undefined>>): CompletionShell {
  if (env.SHELL?.includes('zsh') === true || env.ZSH_NAME?.includes('zsh') === true) return 'zsh';
  if (env.SHELL?.includes('fish') === true) return 'fish';
  return 'bash';
}

/** The shell named after `completion` (a path such as /bin/zsh too), else the environment's. */
export function chooseCompletionShell(words: readonly string[], env: Readonly<Record<string, string | undefined>>): CompletionChoice {
  if (words.length > 1) return { error: `completion takes one shell at most (${COMPLETION_SHELLS.join(', ')}), not ${words.length} words` };
  if (words.length === 0) return { shell: shellOfEnvironment(env) };
  const name = words[0].slice(words[0].lastIndexOf('/') + 1);
  if (isCompletionShell(name)) return { shell: name };
  return { error: `completion: "${words[0]}" is not one of ${COMPLETION_SHELLS.join(', ')}` };
}

/** The variables that make yargs' completion pick `shell`: $SHELL naming it, $ZSH_NAME gone (undefined: unset). */
export function environmentFor(shell: CompletionShell): Record<string, string | undefined> {
  return { SHELL: `/bin/${shell}`, ZSH_NAME: undefined };
}
