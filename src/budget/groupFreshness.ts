import { figureSpec } from '../model/figures.js';
import type { BudgetedFigures } from './carryForward.js';

/**
 * How fresh a group's figures are: what its text, JSON and metrics say beside
 * them. The share is of RAM used (private + shared: every figure a carried
 * process has is carried), the age that of the oldest exact read among its
 * processes.
 */
export interface GroupFreshness {
  /** Processes read exactly this scan, carried forward, and from status (no exact read yet). */
  exact: number;
  carried: number;
  fromStatus: number;
  /** The age of the oldest exact read under the group's figures, ms; absent where none has one (all from status). */
  oldestExactAgeMs?: number;
  /** Of its processes with no exact read yet (from status), the longest since one was first seen, ms; absent where there are none. */
  unreadForMs?: number;
  /** The share (0–1) of the group's RAM used that is not from a read of this scan: carried forward or from status. */
  carriedShare: number;
}

const ram = figureSpec('ram');

/** What a member needs to say: its counters, basis and age (a BudgetedFigures, or a sample of a budgeted scan, whose basis is absent when read exactly). */
export type FreshnessMember = Pick<BudgetedFigures, 'counters' | 'exactAgeMs'> & { basis?: BudgetedFigures['basis']; unreadForMs?: number };

export function groupFreshness(members: readonly FreshnessMember[]): GroupFreshness {
  const freshness: GroupFreshness = { exact: 0, carried: 0, fromStatus: 0, carriedShare: 0 };
  let total = 0;
  let notExact = 0;
  for (const member of members) {
    const bytes = ram.of(member.counters) ?? 0;
    total += bytes;
    if (member.basis === undefined || member.basis === 'exact') freshness.exact++;
    else {
      notExact += bytes;
      if (member.basis === 'carried') freshness.carried++;
      else freshness.fromStatus++;
    }
    if (member.exactAgeMs !== undefined) freshness.oldestExactAgeMs = Math.max(freshness.oldestExactAgeMs ?? 0, member.exactAgeMs);
    if (member.unreadForMs !== undefined) freshness.unreadForMs = Math.max(freshness.unreadForMs ?? 0, member.unreadForMs);
  }
  // A group of no bytes is as carried as its processes are.
  freshness.carriedShare = total > 0 ? notExact / total : members.length > 0 ? (freshness.carried + freshness.fromStatus) / members.length : 0;
  return freshness;
}
