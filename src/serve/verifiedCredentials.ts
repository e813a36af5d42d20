import { createHmac, randomBytes } from 'node:crypto';

/** Pairs remembered at most: a few scrapers per user; wrong guesses never enter, so this is never filled by an attacker without a password. */
export const VERIFIED_CAPACITY = 64;

/**
 * Credentials that bcrypt has accepted, so that a scraper pays for bcrypt
 * once, however many strangers guess meanwhile. Only successes enter: a wrong
 * guess can neither fill this nor push a right credential out. A pair is kept
 * as an HMAC under a key made at start (never in the clear, and no use to
 * anyone who reads serve's memory without the key) beside the hash it was
 * checked against: a new hash for the user (a reload) makes it unknown again.
 */
export class VerifiedCredentials {
  private readonly key = randomBytes(32);
  /** Digest of user and password to the hash that accepted them; a Map keeps order, and a hit re-inserts: the first entry is the least recently used. */
  private readonly accepted = new Map<string, string>();

  constructor(private readonly capacity = VERIFIED_CAPACITY) {}

  digest(user: string, password: string): string {
    return createHmac('sha256', this.key).update(user).update('\0').update(password).digest('base64');
  }

  /** Whether this pair was accepted by this very hash. */
  has(digest: string, hash: string): boolean {
    const known = this.accepted.get(digest);
    if (known !== hash) return false;
    this.accepted.delete(digest);
    this.accepted.set(digest, known);
    return true;
  }

  remember(digest: string, hash: string): void {
    this.accepted.delete(digest);
    if (this.accepted.size >= this.capacity) this.accepted.delete(this.accepted.keys().next().value!);
    this.accepted.set(digest, hash);
  }
}
