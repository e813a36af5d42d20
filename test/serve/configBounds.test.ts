import { describe, expect, it } from '@jest/globals';
import { MAX_WEB_CONFIG_BYTES, nestingUpperBound, outOfBounds } from '../../src/serve/configBounds.js';

describe('nestingUpperBound (a web config\'s depth, counted before YAML parses it)', () => {
  it.each([
    ['', 0],
    ['a: 1\n', 1],
    ['tls_server_config:\n  cert_file: c\n  key_file: k\n', 2],
    ['http_server_config:\n  headers:\n    X-Frame-Options: deny\n', 3],
    // Closing brackets are not taken back: a quoted "]" could fake them.
    ['a: [1, 2]\nb: [3]\n', 3],
    ['a: "]]]"\nb: [[[', 4],
    // Compact sequences nest on one line (and the line's node counts one: an upper bound).
    ['- - - x\n', 4],
    ['a:\n  - b: 1\n    c: 2\n', 3],
    // Comments and blank lines open no level; a dedent closes levels.
    ['a:\n  # x\n\n  b:\n    c: 1\nd: 2\n', 3],
    ['[[[', 4],
  ])('%j: %i', (text, depth) => {
    expect(nestingUpperBound(text)).toBe(depth);
  });

  it('stops counting past the limit', () => {
    expect(nestingUpperBound('['.repeat(100_000), 32)).toBe(33);
  });
});

describe('outOfBounds', () => {
  it('a web config as the exporters write it is within bounds', () => {
    const config = [
      'tls_server_config:', '  cert_file: cert.pem', '  key_file: key.pem', '  min_version: TLS12',
      'http_server_config:', '  headers:', '    Content-Security-Policy: "default-src \'self\'"',
      'basic_auth_users:', '  alice: $2b$10$JEoeWnVTHr12C8XtWajuG.5qj.AsytDiUoMnxmUlg0pl26n.nxruC', '',
    ].join('\n');
    expect(outOfBounds(config)).toBeUndefined();
  });

  it('refuses by size in bytes, then by nesting', () => {
    expect(outOfBounds(`a: "${'é'.repeat(MAX_WEB_CONFIG_BYTES / 2)}"`)).toBe(`over ${MAX_WEB_CONFIG_BYTES} bytes, not a web config`);
    expect(outOfBounds(`a: "${'x'.repeat(MAX_WEB_CONFIG_BYTES - 10)}"`)).toBeUndefined();
    expect(outOfBounds('['.repeat(33))).toBe('nested deeper than 32 levels (counting each [, { and indentation), not a web config');
    expect(outOfBounds('['.repeat(31))).toBeUndefined();
  });
});
