import { describe, expect, it } from '@jest/globals';
import { FailurePenalties, penaltyKey, HALF_LIFE_MS, MAX_DELAY_MS, SHED_AFTER, SLOW_AFTER } from '../../src/serve/failurePenalties.js';

function clocked(capacity?: number) {
  const clock = { ms: 1_000_000 };
  return { clock, penalties: new FailurePenalties(() => clock.ms, capacity) };
}

describe('FailurePenalties (failed password checks per address)', () => {
  it('checks at once below SLOW_AFTER failures, then waits 150 ms more per failure, then sheds past SHED_AFTER', () => {
    const { penalties } = clocked();
    const verdicts = [];
    for (let failures = 0; failures <= SHED_AFTER; failures++) {
      verdicts.push(penalties.verdict('192.0.2.1'));
      penalties.failed('192.0.2.1');
    }
    expect(verdicts.slice(0, SLOW_AFTER)).toEqual(Array(SLOW_AFTER).fill({ kind: 'check', delayMs: 0 }));
    expect(verdicts.slice(SLOW_AFTER, SHED_AFTER).map((verdict) => verdict.delayMs)).toEqual(
      [150, 300, 450, 600, 750, 900, 1050, 1200, 1350, 1500, 1650, 1800].map((ms) => Math.min(ms, MAX_DELAY_MS)));
    expect(verdicts[SHED_AFTER]).toEqual({ kind: 'shed', delayMs: MAX_DELAY_MS, retryAfterSeconds: 60 });
    // Another address is not touched.
    expect(penalties.verdict('192.0.2.2')).toEqual({ kind: 'check', delayMs: 0 });
  });

  it('failures halve every HALF_LIFE_MS: a shed address is checked again once they have decayed', () => {
    const { clock, penalties } = clocked();
    for (let failures = 0; failures < SHED_AFTER; failures++) penalties.failed('192.0.2.1');
    expect(penalties.verdict('192.0.2.1').kind).toBe('shed');
    clock.ms += HALF_LIFE_MS;
    expect(penalties.verdict('192.0.2.1')).toEqual({ kind: 'check', delayMs: (SHED_AFTER / 2 - SLOW_AFTER + 1) * 150 });
    clock.ms += 2 * HALF_LIFE_MS;
    expect(penalties.verdict('192.0.2.1')).toEqual({ kind: 'check', delayMs: 0 });
  });

  it('holds at most its capacity of addresses, forgetting the one that failed least lately', () => {
    const { penalties } = clocked(3);
    for (const address of ['a', 'b', 'c', 'a', 'd']) for (let failures = 0; failures < SLOW_AFTER; failures++) penalties.failed(address);
    expect(penalties.size).toBe(3);
    expect(penalties.verdict('b')).toEqual({ kind: 'check', delayMs: 0 });
    expect(penalties.verdict('a').delayMs).toBeGreaterThan(0);
    expect(penalties.verdict('d').delayMs).toBeGreaterThan(0);
  });
});

describe('penaltyKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s: %s', (address, key) => {
    expect(penaltyKey(address)).toBe(key);
  });

  it('addresses of one /64 share their failures', () => {
    const penalties = new FailurePenalties(() => 0);
    for (let index = 0; index < SHED_AFTER; index++) penalties.failed(`2001:db8:1:2::${index.toString(16)}`);
    expect(penalties.verdict('2001:db8:1:2:ffff::1').kind).toBe('shed');
    expect(penalties.verdict('2001:db8:1:3::1').kind).toBe('check');
  });
});
