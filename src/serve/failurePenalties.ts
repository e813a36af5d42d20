/**
 * Failed password checks per remote address (an IPv6 one by its /64), as a score that halves every
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

/**
 * The key an address's failures are counted under: an IPv4 address (also as
 * ::ffff:a.b.c.d) as it is; an IPv6 address by its /64, which one host is
 * commonly given whole and could otherwise walk through address by address.
 */
export function penaltyKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return mapped[1];
  if (!address.includes(':')) return address;
  const [head, tail] = address.toLowerCase().split('%')[0].split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

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
    const score = this.score(penaltyKey(address));
    if (score >= SHED_AFTER) {
      const retryAfterSeconds = Math.ceil((HALF_LIFE_MS / 1000) * Math.log2(score / SLOW_AFTER));
      return { kind: 'shed', delayMs: MAX_DELAY_MS, retryAfterSeconds };
    }
    if (score < SLOW_AFTER) return { kind: 'check', delayMs: 0 };
    return { kind: 'check', delayMs: Math.min(MAX_DELAY_MS, Math.round((score - SLOW_AFTER + 1) * STEP_MS)) };
  }

  failed(address: string): void {
    const key = penaltyKey(address);
    const score = this.score(key) + 1;
    this.table.delete(key);
    if (this.table.size >= this.capacity) this.table.delete(this.table.keys().next().value!);
    this.table.set(key, { score, atMs: this.now() });
  }

  /** The score now, decayed since its last failure. */
  private score(key: string): number {
    const entry = this.table.get(key);
    if (entry === undefined) return 0;
    return entry.score * 0.5 ** (Math.max(0, this.now() - entry.atMs) / HALF_LIFE_MS);
  }
}
