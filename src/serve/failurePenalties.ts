/**
 * Failed password checks per remote address, as a score that halves every
 * HALF_LIFE_MS: past SLOW_AFTER, an address's next checks wait (longer the more
 * it failed); past SHED_AFTER, they are refused without a check. A scraper
 * with the right password fails at most once (a reload), and decays back
 * within a minute or two. The table is bounded: past MAX_ADDRESSES, the
 * address seen least lately is forgotten.
 */
export const SLOW_AFTER = 4;
export const SHED_AFTER = 16;
export const HALF_LIFE_MS = 30_000;
export const MAX_ADDRESSES = 4096;
/** The wait added per failure past SLOW_AFTER, and its ceiling. */
const STEP_MS = 150;
export const MAX_DELAY_MS = 2_000;

export type CheckVerdict =
  | { kind: 'check'; delayMs: number }
  /** Refused without a check; answered after `delayMs` all the same, so that refusals cost a client time, not serve CPU. */
  | { kind: 'shed'; delayMs: number; retryAfterSeconds: number };

interface Entry {
  score: number;
  atMs: number;
}

export class FailurePenalties {
  private readonly table = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now, private readonly capacity = MAX_ADDRESSES) {}

  get size(): number {
    return this.table.size;
  }

  /** What to do with a check from `address` now. */
  verdict(address: string): CheckVerdict {
    const score = this.score(address);
    if (score >= SHED_AFTER) {
      const retryAfterSeconds = Math.ceil((HALF_LIFE_MS / 1000) * Math.log2(score / SLOW_AFTER));
      return { kind: 'shed', delayMs: MAX_DELAY_MS, retryAfterSeconds };
    }
    if (score < SLOW_AFTER) return { kind: 'check', delayMs: 0 };
    return { kind: 'check', delayMs: Math.min(MAX_DELAY_MS, Math.round((score - SLOW_AFTER + 1) * STEP_MS)) };
  }

  failed(address: string): void {
    const score = this.score(address) + 1;
    this.table.delete(address);
    if (this.table.size >= this.capacity) this.table.delete(this.table.keys().next().value!);
    this.table.set(address, { score, atMs: this.now() });
  }

  /** The score now, decayed since its last failure. */
  private score(address: string): number {
    const entry = this.table.get(address);
    if (entry === undefined) return 0;
    return entry.score * 0.5 ** (Math.max(0, this.now() - entry.atMs) / HALF_LIFE_MS);
  }
}
