import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { jsonBudgetProblem } from '../../src/store/jsonBudget.js';
import { writeReport, group, report, tempDir, MiB } from '../helpers/storeFixtures.js';

describe('jsonBudgetProblem', () => {
  test('a text of 1 MiB or less is not even counted', () => {
    expect(jsonBudgetProblem(Buffer.from(`[${'{},'.repeat(349_000)}{}]`))).toBeUndefined();
  });

  test('dense crafted texts over 1 MiB are refused, with their counts', () => {
    expect(jsonBudgetProblem(Buffer.from(`[${'{},'.repeat(500_000)}{}]`)))
      .toBe('too many JSON values for a report (500002 objects and arrays, 500001 values), more than footprint parses');
    // 1.4M doubles: 33.6 MB of values plus 5.6 MB of text.
    expect(jsonBudgetProblem(Buffer.from(`[${'1.5,'.repeat(1_400_000)}0]`)))
      .toBe('too many JSON values for a report (1 objects and arrays, 1400001 values), more than footprint parses');
  });

  test('at the edge: 56 x objects + 24 x values + length, against 32 MiB', () => {
    // 390,002 objects, 390,001 values, 1,170,004 bytes: 31.99 MB.
    expect(jsonBudgetProblem(Buffer.from(`[${'{},'.repeat(390_000)}{}]`))).toBeUndefined();
    expect(jsonBudgetProblem(Buffer.from(`[${'{},'.repeat(420_000)}{}]`))).toBeDefined();
  });

  test('a report shaped like a real one (long names, a few figures each) passes at 8 MiB', () => {
    const groups = Array.from({ length: 32_000 }, (_, index) => group(`/usr/bin/python3 /srv/app/worker-${index}.py --queue q${index}`, (index + 1) * 4096));
    const dir = tempDir();
    writeReport(dir, report('2026-11-25T03:00:00Z', groups));
    const text = gunzipSync(readFileSync(`${dir}/${readdirSync(dir)[0]}`));
    expect(text.length).toBeGreaterThan(7 * MiB);
    expect(jsonBudgetProblem(text)).toBeUndefined();
  });
});
