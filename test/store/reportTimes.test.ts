import { describe, expect, test } from '@jest/globals';
import { nameTimeProblem, reportTimeProblem } from '../../src/store/reportTimes.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;

describe('report times', () => {
  test.each([
    ['now', NOW, NOW, undefined],
    ['the name five minutes ahead (a clock a little fast)', NOW + 5 * MINUTE, NOW + 5 * MINUTE, undefined],
    ['a year ago, name and time alike', NOW - 365 * DAY, NOW - 365 * DAY, undefined],
    ['the time a day after the name, exactly', NOW - 2 * DAY, NOW - DAY, undefined],
    ['the name in 2099', Date.parse('2099-01-01T00:00:00Z'), NOW, 'its name is a time in the future (2099-01-01 00:00:00 UTC)'],
    ['the name six minutes ahead', NOW + 6 * MINUTE, NOW, 'its name is a time in the future (2026-12-01 12:06:00 UTC)'],
    ['the time in the future, the name not', NOW - MINUTE, NOW + DAY, 'its time is in the future (2026-12-02 12:00:00 UTC)'],
    ['a renamed copy: a day and a second apart', NOW - MINUTE, NOW - MINUTE - DAY - 1000,
      'its name says 2026-12-01 11:59:00 UTC but its time is 2026-11-30 11:58:59 UTC, more than a day apart'],
  ])('%s', (_, nameMs, timeMs, problem) => {
    expect(reportTimeProblem(nameMs, timeMs, NOW)).toBe(problem);
  });

  test('the name alone, before any read', () => {
    expect(nameTimeProblem(NOW + 5 * MINUTE, NOW)).toBeUndefined();
    expect(nameTimeProblem(NOW + 5 * MINUTE + 1, NOW)).toBe('its name is a time in the future (2026-12-01 12:05:00 UTC)');
  });
});
