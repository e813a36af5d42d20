import type { Warn } from './machineContext.js';

/**
 * A warning sink for the commands that scan again and again (serve, watch): a
 * line the same as the one before it, word for word, is said once, not at every
 * scan; a different line, or the first one back after another, is said again.
 * The state is the sink's own, one line, held by the command that made it.
 */
export function warnChangesOnly(warn: Warn): Warn {
  let last: string | undefined;
  return (line) => {
    if (line !== last) warn(line);
    last = line;
  };
}
