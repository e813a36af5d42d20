import { parseSize } from './size.js';
import { UsageError } from '../../errors.js';



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
