import { describe, expect, it } from '@jest/globals';
import { shortenMiddle, wrapLines, wrapWords } from '../../src/render/fitWidth.js';

describe('shortenMiddle', () => {
  it.each([
    ['python3 -c print(1)', 30, 'python3 -c print(1)'],
    ['abcdefghij', 10, 'abcdefghij'],
    ['abcdefghij', 9, 'abcd…ghij'],
    ['abcdefghij', 6, 'abc…ij'],
    ['abcdefghij', 1, '…'],
    ['abcdefghij', 0, ''],
    ['äöüäöüäöü', 5, 'äö…öü'],
  ])('%j in %d', (text, width, expected) => {
    expect(shortenMiddle(text, width)).toBe(expected);
    expect([...shortenMiddle(text, width)].length).toBeLessThanOrEqual(width);
  });
});

describe('wrapWords', () => {
  it('breaks at spaces, later lines indented, none longer than the width', () => {
    expect(wrapWords('Left out: 1 process not readable even by this user; 311 of 371 processes measured in 96 ms.', 40, '  ')).toEqual([
      'Left out: 1 process not readable even by',
      '  this user; 311 of 371 processes',
      '  measured in 96 ms.',
    ]);
  });

  it('keeps a line that fits, and its leading spaces', () => {
    expect(wrapWords('  904.5 MiB  anonymous memory', 40)).toEqual(['  904.5 MiB  anonymous memory']);
    expect(wrapWords('  904.5 MiB  anonymous memory: 891.4 MiB in the processes measured', 40, '             ')).toEqual([
      '  904.5 MiB  anonymous memory: 891.4 MiB',
      '             in the processes measured',
    ]);
  });

  it('cuts a word longer than a line', () => {
    expect(wrapWords('a 0123456789abcdef', 8, ' ')).toEqual(['a', ' 0123456', ' 789abcd', ' ef']);
  });

  it('wrapLines: each line on its own, with an indent under its own leading spaces', () => {
    expect(wrapLines('one two three\n  four five six', 9, ' ')).toBe('one two\n three\n  four\n   five\n   six');
    expect(wrapLines('one two three', undefined)).toBe('one two three');
  });
});
