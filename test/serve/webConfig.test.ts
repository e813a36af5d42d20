import { describe, expect, it } from '@jest/globals';
import { parseWebConfig } from '../../src/serve/webConfig.js';

const HASH = '$2b$10$JEoeWnVTHr12C8XtWajuG.5qj.AsytDiUoMnxmUlg0pl26n.nxruC';

describe('parseWebConfig (the exporters\' web configuration file)', () => {
  it('an empty file: neither TLS nor basic auth, as for the exporters', () => {
    expect(parseWebConfig('', '/etc/footprint')).toEqual({ tls: undefined, users: new Map(), headers: {} });
    expect(parseWebConfig('tls_server_config:\nbasic_auth_users:\n', '/etc/footprint')).toEqual({ tls: undefined, users: new Map(), headers: {} });
  });

  it('files relative to the config\'s directory, absolute ones as given; TLS 1.2 to 1.3 by default; users and headers', () => {
    const config = parseWebConfig([
      'tls_server_config:', '  cert_file: tls/cert.pem', '  key_file: /secret/key.pem', '  prefer_server_cipher_suites: false',
      'http_server_config:', '  http2: true', '  headers:', '    X-Frame-Options: deny', '    Content-Security-Policy: ""',
      'basic_auth_users:', `  alice: ${HASH}`, `  "bob smith": ${HASH.replace('$2b$', '$2y$')}`, '',
    ].join('\n'), '/etc/footprint');
    expect(config).toEqual({
      tls: { cert: { file: '/etc/footprint/tls/cert.pem' }, key: { file: '/secret/key.pem' }, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', honorCipherOrder: false },
      users: new Map([['alice', HASH], ['bob smith', HASH.replace('$2b$', '$2y$')]]),
      headers: { 'X-Frame-Options': 'deny' },
    });
  });

  it('cert and key inline; min and max versions', () => {
    const config = parseWebConfig('tls_server_config:\n  cert: "-----BEGIN CERTIFICATE-----"\n  key: k\n  min_version: TLS13\n  max_version: TLS13\n', '/d');
    expect(config.tls).toEqual({ cert: { pem: '-----BEGIN CERTIFICATE-----' }, key: { pem: 'k' }, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', honorCipherOrder: true });
  });

  it.each([
    ['tls_server_config:\n  cert: c\n  cert_file: c.pem\n  key: k\n', 'tls_server_config: cert and cert_file are both given; give one'],
    ['tls_server_config:\n  key_file: k.pem\n', 'tls_server_config: cert_file (or cert) is missing'],
    ['tls_server_config:\n  cert_file: 7\n  key_file: k.pem\n', 'tls_server_config.cert_file: not a string'],
    ['tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS13\n  max_version: TLS12\n', 'tls_server_config: min_version is above max_version'],
    ['tls_server_config:\n  cert_file: c\n  key_file: k\n  client_ca_file: ca.pem\n', 'tls_server_config.client_ca_file: not supported by footprint serve (Node\'s defaults apply)'],
    ['tls_server_config:\n  cert_file: c\n  key_file: k\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n', 'tls_server_config.cipher_suites: not supported by footprint serve (Node\'s defaults apply)'],
    ['tls_server_config:\n  certfile: c\n', 'tls_server_config.certfile: not a field of the web config (fields: cert, key, cert_file, key_file, client_auth_type, client_ca, client_ca_file, client_allowed_sans, min_version, max_version, cipher_suites, prefer_server_cipher_suites, curve_preferences)'],
    ['http_server_config:\n  headers:\n    X-Frame-Options: allow\n', 'http_server_config.headers.X-Frame-Options: "allow" is not deny or sameorigin'],
    ['http_server_config:\n  headers:\n    Server: footprint\n', 'http_server_config.headers.Server: not a field of the web config (fields: Content-Security-Policy, X-Frame-Options, X-Content-Type-Options, X-XSS-Protection, Strict-Transport-Security)'],
    [`basic_auth_users:\n  "a:b": ${HASH}\n`, 'basic_auth_users: "a:b" cannot be a user name (empty, or has a colon)'],
    ['basic_auth_users:\n  alice: $2b$10$short\n', 'basic_auth_users.alice: not a bcrypt hash (make one with: htpasswd -nBC 10 "" | tr -d \':\\n\')'],
    ['- tls_server_config\n', 'the top level: not a mapping'],
  ])('%j: %s', (yaml, message) => {
    expect(() => parseWebConfig(yaml, '/d')).toThrow(message);
  });

  it('a key given twice, or too many aliases, is not YAML (one line, nothing of the file quoted)', () => {
    expect(() => parseWebConfig(`basic_auth_users:\n  alice: ${HASH}\n  alice: ${HASH}\n`, '/d')).toThrow(/^not YAML: [^\n]+$/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, index) => `${'bcdefghij'[index]}: &${'bcdefghij'[index]} [${Array(10).fill(`*${index === 0 ? 'a' : 'bcdefghij'[index - 1]}`).join(', ')}]`)].join('\n');
    expect(() => parseWebConfig(bomb, '/d')).toThrow(/^not YAML: /);
  });
});
