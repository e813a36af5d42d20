/**
 * The one place footprint installs signal handlers (run passes them on to CMD's
 * tree, watch ends its loop, serve stops or reloads). A signal that has a
 * handler no longer ends the process: Node's default (exit 128 + N) is back
 * only once every handler for it is removed.
 */

/** The signals that end a long-running command: Ctrl-C, kill, a closed terminal. */
export const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Calls `handler` with each of `signals` that comes, until the returned
 * function removes it. With `once`, each signal is handled at most once: after
 * it, that signal has its default effect again (a second Ctrl-C ends serve).
 */
export function onSignals(
  signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void, options: { once?: boolean } = {},
): () => void {
  for (const signal of signals) {
    if (options.once === true) process.once(signal, handler);
    else process.on(signal, handler);
  }
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
