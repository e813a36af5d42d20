import type { GroupBy } from '../model/report.js';
import { parseSize } from './sizeArgs.js';
import { UsageError } from '../errors.js';

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

/** Cgroups this many levels below the top get series: / and two levels (system.slice/nginx.service, kubepods/burstable). */
export const DEFAULT_CGROUP_DEPTH = 2;

/** --cgroup-depth N: how deep the cgroup series go (0: the top alone), bounding their number. */
export function parseCgroupDepth(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CGROUP_DEPTH;
  if (!/^\d{1,2}$/.test(String(text))) throw new UsageError(`--cgroup-depth: "${text}" is not a whole number from 0 to 99`);
  return Number(text);
}
