import type { BudgetReport } from '../budget/budgetReport.js';
import { groupFreshness, type FreshnessMember, type GroupFreshness } from '../budget/groupFreshness.js';
import type { ProgramGroup } from '../model/report.js';
import { escapeText } from './escapeText.js';

/** The groups a line names at most; the rest are counted. */
const NAMED = 5;

/** A group's freshness under the read budget, from its members' samples. */
export function freshnessOf(budget: BudgetReport, group: Pick<ProgramGroup, 'pids'>): GroupFreshness {
  const members: FreshnessMember[] = [];
  for (const pid of group.pids) {
    const sample = budget.byPid.get(pid);
    if (sample !== undefined) members.push(sample);
  }
  return groupFreshness(members);
}

/** An age as the line says it: seconds under two minutes, then minutes. */
function age(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/**
 * The text's mark of the groups whose figures are not all read this scan (a read
 * budget: serve, watch): each with the age of its oldest exact read and its
 * carried share, in the order given; undefined where every group was read exactly.
 */
export function renderCarriedLine(budget: BudgetReport, groups: readonly ProgramGroup[]): string | undefined {
  const marked: string[] = [];
  let more = 0;
  for (const group of groups) {
    const freshness = freshnessOf(budget, group);
    if (freshness.carriedShare <= 0) continue;
    if (marked.length === NAMED) {
      more++;
      continue;
    }
    const share = freshness.carriedShare >= 0.995 ? 'all' : `${Math.max(1, Math.round(freshness.carriedShare * 100))}%`;
    const since = freshness.oldestExactAgeMs === undefined ? 'from status, no exact read yet' : `exact read ${age(freshness.oldestExactAgeMs)} ago`;
    marked.push(`${escapeText(group.name)} (${share}: ${since})`);
  }
  if (marked.length === 0) return undefined;
  const rest = more === 0 ? '' : `, and ${more} more group${more === 1 ? '' : 's'}`;
  return `Carried forward from /proc/PID/status since their last exact read (--max-read-ms, --refresh): ${marked.join(', ')}${rest}.`;
}
