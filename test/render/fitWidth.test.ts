import { describe, expect, it } from '@jest/globals';
import { displayWidth, fitName, shortenMiddle, wrapLines, wrapWords } from '../../src/render/fitWidth.js';
import { escapeText } from '../../src/render/escapeText.js';
import { renderTextTable } from '../../src/render/textTable.js';

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

describe('fitName: escaped, then shortened in the middle, at the cost of its width', () => {
  it('a name that fits is only escaped', () => {
    expect(fitName('evil\x1b[31m', 20)).toBe('evil\\e[31m');
    expect(fitName('python3 x.py')).toBe('python3 x.py');
  });

  it('a megabyte of command line: the same ends as shortening the whole escaped text', () => {
    const huge = `start\n${'a'.repeat(1_000_000)}\x1bend`;
    expect(fitName(huge, 20)).toBe(shortenMiddle(escapeText(huge), 20));
    expect(fitName(huge, 20)).toBe('start\\naaa…aaaa\\eend');
  });

  it('wide characters take two columns', () => {
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('äöü')).toBe(3);
    expect(shortenMiddle('日本語テキスト', 7)).toBe('日…ト');
    expect(displayWidth(shortenMiddle('日本語テキスト', 7))).toBeLessThanOrEqual(7);
  });
});

describe('renderTextTable: plain aligned columns, two spaces apart', () => {
  const rows = [['Size', 'Name'], ['5.0 MiB', 'bash'], ['1.2 GiB', 'python3 日本']];
  it('in a pipe: aligned, a rule where asked, no trailing blanks', () => {
    expect(renderTextTable(rows, { fancy: false, align: ['right', 'left'], rulesAfter: [0] })).toBe(
      '   Size  Name\n---------------------\n5.0 MiB  bash\n1.2 GiB  python3 日本\n');
  });

  it('on a terminal: the same columns and lines, the header bold, the rule in box-drawing dashes', () => {
    expect(renderTextTable(rows, { fancy: true, align: ['right', 'left'], rulesAfter: [0] })).toBe(
      '\x1b[1m   Size  Name\x1b[0m\n─────────────────────\n5.0 MiB  bash\n1.2 GiB  python3 日本\n');
  });
});
