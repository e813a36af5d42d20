import { describeStep, formatPointTime } from '../../src/render/historyTimes.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 24, 10, 7, 30); // 2026-11-24 10:07:30

describe('time labels', () => {
  test('formatPointTime: seconds for single reports, minutes for short buckets, the day for long ones', () => {
    expect(formatPointTime(T0, null)).toBe('2026-11-24 10:07:30');
    expect(formatPointTime(T0, 3 * HOUR)).toBe('2026-11-24 10:07');
    expect(formatPointTime(T0, DAY)).toBe('2026-11-24');
  });

  test('describeStep', () => {
    expect([null, 5 * MINUTE, HOUR, 3 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 90_000].map(describeStep)).toEqual([
      'one point per report', 'peak per 5 minutes', 'peak per hour', 'peak per 3 hours', 'peak per day', 'peak per 2 days',
      'peak per week', 'peak per 2 weeks', 'peak per 1.5 minutes',
    ]);
  });
});