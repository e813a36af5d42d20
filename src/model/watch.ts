import type { RunSample } from './run.js';

/** One sample of what `watch` follows: a run document's figures, RSS, and the identities (PID:start time) of its processes. */
export interface WatchSample extends RunSample {
  rss: number;
  identities: string[];
}
