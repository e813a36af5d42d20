import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { outOfBounds } from './configBounds.js';

/**
 * The web configuration file that Prometheus exporters share
 * (prometheus/exporter-toolkit, docs/web-configuration.md), parsed and checked
 * (pure: text in, a record out; the files it names are read by the caller).
 * What footprint cannot do is refused by name, never ignored: a config that
 * asks for client certificates must not silently serve without them.
 */
export interface WebConfig {
  tls?: {
    /** PEM text given inline (`cert`, `key`), or a path to read (`cert_file`, `key_file`), relative to the config's directory. */
    cert: { pem: string } | { file: string };
    key: { pem: string } | { file: string };
    minVersion: TlsVersion;
    maxVersion: TlsVersion;
    honorCipherOrder: boolean;
  };
  /** User name to bcrypt hash; empty: no basic auth. */
  users: Map<string, string>;
  /** http_server_config.headers: added to every answer. */
  headers: Record<string, string>;
}

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export class WebConfigError extends Error {
  override name = 'WebConfigError';
}

const VERSIONS: Record<string, TlsVersion> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };
const TLS_FIELDS = ['cert', 'key', 'cert_file', 'key_file', 'client_auth_type', 'client_ca', 'client_ca_file', 'client_allowed_sans',
  'min_version', 'max_version', 'cipher_suites', 'prefer_server_cipher_suites', 'curve_preferences'];
const HEADERS = ['Content-Security-Policy', 'X-Frame-Options', 'X-Content-Type-Options', 'X-XSS-Protection', 'Strict-Transport-Security'];
/** What htpasswd -B, Python's bcrypt and bcryptjs write: $2a$, $2b$ or $2y$, a cost, 22 characters of salt and 31 of hash. */
const BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

type Fields = Record<string, unknown>;

function isMapping(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapping(value: unknown, where: string, known: readonly string[] | undefined): Fields {
  if (value === null || value === undefined) return {};
  if (!isMapping(value)) throw new WebConfigError(`${where === '' ? 'the top level' : where}: not a mapping`);
  for (const key of Object.keys(value)) {
    if (known !== undefined && !known.includes(key)) throw new WebConfigError(`${where === '' ? '' : `${where}.`}${key}: not a field of the web config (fields: ${known.join(', ')})`);
  }
  return value;
}

function text(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new WebConfigError(`${where}: not a string`);
  return value;
}

function pemOrFile(fields: Fields, inline: string, file: string, directory: string): { pem: string } | { file: string } {
  const pem = text(fields[inline], `tls_server_config.${inline}`);
  const path = text(fields[file], `tls_server_config.${file}`);
  if (pem !== undefined && path !== undefined) throw new WebConfigError(`tls_server_config: ${inline} and ${file} are both given; give one`);
  if (pem !== undefined) return { pem };
  if (path !== undefined) return { file: isAbsolute(path) ? path : join(directory, path) };
  throw new WebConfigError(`tls_server_config: ${file} (or ${inline}) is missing`);
}

function version(value: unknown, where: string, fallback: TlsVersion): TlsVersion {
  const name = text(value, where);
  if (name === undefined) return fallback;
  const known = VERSIONS[name];
  if (known === undefined) throw new WebConfigError(`${where}: "${name}" is not one of ${Object.keys(VERSIONS).join(', ')}`);
  return known;
}

function tlsSection(value: unknown, directory: string): WebConfig['tls'] {
  const fields = mapping(value, 'tls_server_config', TLS_FIELDS);
  if (Object.keys(fields).length === 0) return undefined;
  const clientAuth = text(fields.client_auth_type, 'tls_server_config.client_auth_type');
  if (clientAuth !== undefined && clientAuth !== 'NoClientCert') {
    throw new WebConfigError(`tls_server_config.client_auth_type: ${clientAuth}: client certificates are not supported by footprint serve (use basic_auth_users)`);
  }
  for (const unsupported of ['client_ca', 'client_ca_file', 'client_allowed_sans', 'cipher_suites', 'curve_preferences']) {
    if (fields[unsupported] !== undefined && fields[unsupported] !== null) {
      throw new WebConfigError(`tls_server_config.${unsupported}: not supported by footprint serve (Node's defaults apply)`);
    }
  }
  const minVersion = version(fields.min_version, 'tls_server_config.min_version', 'TLSv1.2');
  const maxVersion = version(fields.max_version, 'tls_server_config.max_version', 'TLSv1.3');
  const order = Object.values(VERSIONS);
  if (order.indexOf(minVersion) > order.indexOf(maxVersion)) {
    throw new WebConfigError(`tls_server_config: min_version is above max_version`);
  }
  const prefer = fields.prefer_server_cipher_suites ?? true;
  if (typeof prefer !== 'boolean') throw new WebConfigError('tls_server_config.prefer_server_cipher_suites: not true or false');
  return {
    cert: pemOrFile(fields, 'cert', 'cert_file', directory),
    key: pemOrFile(fields, 'key', 'key_file', directory),
    minVersion, maxVersion, honorCipherOrder: prefer,
  };
}

function headersSection(value: unknown): Record<string, string> {
  const server = mapping(value, 'http_server_config', ['http2', 'headers']);
  // http2 is accepted and has no effect: serve speaks HTTP/1.1, which every scraper speaks.
  if (server.http2 !== undefined && typeof server.http2 !== 'boolean') throw new WebConfigError('http_server_config.http2: not true or false');
  const fields = mapping(server.headers, 'http_server_config.headers', HEADERS);
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(fields)) {
    const value = text(raw, `http_server_config.headers.${name}`);
    if (value === undefined) continue;
    if (/[\r\n]/.test(value)) throw new WebConfigError(`http_server_config.headers.${name}: a header value is one line`);
    if (name === 'X-Frame-Options' && !['deny', 'sameorigin'].includes(value.toLowerCase())) throw new WebConfigError(`http_server_config.headers.X-Frame-Options: "${value}" is not deny or sameorigin`);
    if (name === 'X-Content-Type-Options' && value.toLowerCase() !== 'nosniff') throw new WebConfigError(`http_server_config.headers.X-Content-Type-Options: "${value}" is not nosniff`);
    headers[name] = value;
  }
  return headers;
}

function usersSection(value: unknown): Map<string, string> {
  const users = new Map<string, string>();
  for (const [user, hash] of Object.entries(mapping(value, 'basic_auth_users', undefined))) {
    // A colon ends the user name in the Authorization header (RFC 7617): such a user could never log in.
    if (user.includes(':') || user === '') throw new WebConfigError(`basic_auth_users: "${user}" cannot be a user name (empty, or has a colon)`);
    if (typeof hash !== 'string' || !BCRYPT.test(hash)) throw new WebConfigError(`basic_auth_users.${user}: not a bcrypt hash (make one with: htpasswd -nBC 10 "" | tr -d ':\\n')`);
    users.set(user, hash);
  }
  return users;
}

/** Parses a web config; relative file names are taken from `directory`, the config file's own, as the exporters do. Throws WebConfigError with one line. */
export function parseWebConfig(source: string, directory: string): WebConfig {
  const refused = outOfBounds(source);
  if (refused !== undefined) throw new WebConfigError(refused);
  let document: unknown;
  try {
    document = parse(source, { uniqueKeys: true, prettyErrors: false, maxAliasCount: 10 });
  } catch (error) {
    throw new WebConfigError(`not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const top = mapping(document, '', ['tls_server_config', 'http_server_config', 'basic_auth_users', 'rate_limit']);
  if (top.rate_limit !== undefined && top.rate_limit !== null) throw new WebConfigError('rate_limit: not supported by footprint serve (it answers one request at a time per connection)');
  return { tls: tlsSection(top.tls_server_config, directory), users: usersSection(top.basic_auth_users), headers: headersSection(top.http_server_config) };
}
