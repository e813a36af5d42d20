import type { GroupBy } from '../model/report.js';
import { parseSize } from './sizeArgs.js';

/**
 * Groupings `serve` and `export` offer: never a command line or a PID by
 * default, since command lines carry secrets into every dashboard.
 */
export type FleetGroupBy = Extract<GroupBy, 'program' | 'user' | 'cgroup'>;
export const FLEET_GROUP_CHOICES: FleetGroupBy[] = ['program', 'user', 'cgroup'];


/** --rollup-max-rss SIZE in bytes (rollupCeilingPages makes it the tree's pages). */
export function parseRollupMaxRss(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseSize('--rollup-max-rss', text);
}
