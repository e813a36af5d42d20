import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Where saved reports live: --dir, else $FOOTPRINT_DIR, else the XDG state
 * directory. Pure: the caller passes the environment. `--dir ''` is a
 * mistake (an unset variable in a cron line), not a wish for the default.
 */
export function resolveReportDir(dirOption: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (dirOption === '') throw new UsageError('--dir: an empty path (leave --dir out for the default directory)');
  if (dirOption !== undefined) return dirOption;
  if (env.FOOTPRINT_DIR) return env.FOOTPRINT_DIR;
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const stateHome = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME)
    ? env.XDG_STATE_HOME
    : join(env.HOME || homedir(), '.local', 'state');
  return join(stateHome, 'footprint');
}
