import { describe, expect, it } from '@jest/globals';
import { bytesToText, unescapeKmsg } from '../../../src/kernel/kmsg/byteText.js';

describe('names of any bytes, kept as text without loss (bytesToText)', () => {
  it.each([
    ['plain ASCII', [0x61, 0x2f, 0x62], 'a/b'],
    ['valid UTF-8 as it is', [...Buffer.from('café/日本')], 'café/日本'],
    ['a byte that is not UTF-8', [0x6f, 0x64, 0x64, 0xff], 'odd\\xff'],
    ['a backslash as it is (systemd\'s unit names hold its escapes)', [...Buffer.from('by\\x2duuid')], 'by\\x2duuid'],
    ['a newline and a control character stay (a renderer escapes them)', [0x61, 0x0a, 0x1b], 'a\n\x1b'],
    ['a lead byte without its continuation, then ASCII', [0xc3, 0x41], '\\xc3A'],
    ['an overlong "/" (0xc0 0xaf)', [0xc0, 0xaf], '\\xc0\\xaf'],
    ['a UTF-16 surrogate in UTF-8 (0xed 0xa0 0x80)', [0xed, 0xa0, 0x80], '\\xed\\xa0\\x80'],
    ['a four-byte sequence and one past U+10FFFF', [0xf0, 0x9f, 0x98, 0x80, 0xf4, 0x90, 0x80, 0x80], '😀\\xf4\\x90\\x80\\x80'],
  ])('%s', (_case, bytes, text) => {
    expect(bytesToText(Buffer.from(bytes))).toBe(text);
    // Where Node's own decoding (the cgroups view's paths) loses no byte to U+FFFD, the same text.
    const decoded = Buffer.from(bytes).toString('utf8');
    if (!decoded.includes('\ufffd')) expect(text).toBe(decoded);
  });

  it('by byte: a path\'s text is its names\' texts joined by "/"', () => {
    const names = [Buffer.from([0x6f, 0xff]), Buffer.from('é\\'), Buffer.from([0xe2, 0x82])];
    expect(bytesToText(Buffer.concat([names[0], Buffer.from('/'), names[1], Buffer.from('/'), names[2]]))).toBe(names.map(bytesToText).join('/'));
  });
});

describe("/dev/kmsg's escapes undone (unescapeKmsg)", () => {
  it.each([
    ['v\\xff\\x0ax\\x5c)(', [0x76, 0xff, 0x0a, 0x78, 0x5c, 0x29, 0x28]],
    ['plain', [...Buffer.from('plain')]],
    ['\\x5c\\x5c', [0x5c, 0x5c]],
  ])('%s', (escaped, bytes) => {
    expect([...unescapeKmsg(escaped)!]).toEqual(bytes);
  });

  it.each(['a\\b', 'a\\x', 'a\\xg0', 'a\\xFF', 'é'])('%s: no escape of the kernel\'s', (escaped) => {
    expect(unescapeKmsg(escaped)).toBeUndefined();
  });
});
