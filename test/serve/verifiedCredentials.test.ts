import { describe, expect, it } from '@jest/globals';
import { VerifiedCredentials } from '../../src/serve/verifiedCredentials.js';

const HASH = '$2b$10$JEoeWnVTHr12C8XtWajuG.5qj.AsytDiUoMnxmUlg0pl26n.nxruC';
const OTHER_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8sA4nZ3Y1pQmLkq5c6s0oO6r0y2w9e';

describe('VerifiedCredentials (pairs bcrypt accepted)', () => {
  it('knows a remembered pair only against the hash that accepted it (a reload with a new hash forgets it)', () => {
    const verified = new VerifiedCredentials();
    const digest = verified.digest('alice', 'secret');
    expect(verified.has(digest, HASH)).toBe(false);
    verified.remember(digest, HASH);
    expect(verified.has(digest, HASH)).toBe(true);
    expect(verified.has(digest, OTHER_HASH)).toBe(false);
    expect(verified.has(verified.digest('alice', 'secreT'), HASH)).toBe(false);
    // The user and the password are kept apart: "al" + "ice:secret" is another pair.
    expect(verified.digest('al', 'icesecret')).not.toBe(verified.digest('alice', 'secret'));
  });

  it('keyed per instance: the digest is no plain hash of the pair', () => {
    expect(new VerifiedCredentials().digest('alice', 'secret')).not.toBe(new VerifiedCredentials().digest('alice', 'secret'));
  });

  it('bounded: past its capacity the pair used least lately goes, one used lately stays', () => {
    const verified = new VerifiedCredentials(2);
    const [a, b, c] = ['a', 'b', 'c'].map((password) => verified.digest('alice', password));
    verified.remember(a, HASH);
    verified.remember(b, HASH);
    expect(verified.has(a, HASH)).toBe(true);
    verified.remember(c, HASH);
    expect([verified.has(a, HASH), verified.has(b, HASH), verified.has(c, HASH)]).toEqual([true, false, true]);
  });
});
