/**
 * Live: `serve --web-config FILE`, the web configuration file of the Prometheus
 * exporters (TLS, basic auth with bcrypt hashes), with a certificate made here
 * by openssl, checked by Node's TLS client and scraped by a real Prometheus.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { stopChildren } from '../helpers/liveProcesses.js';
import { freePort } from '../helpers/ports.js';
import { assertBuilt, FOOTPRINT_BIN } from '../helpers/runFootprint.js';
import { exchange, startServe } from '../helpers/serveProcess.js';
import { tempDir } from '../helpers/tempPaths.js';

const OPENSSL = '/usr/bin/openssl';
const PROMETHEUS = '/usr/bin/prometheus';
const BIN = FOOTPRINT_BIN;
const PASSWORD = 'correct horse battery staple';
const started: ChildProcess[] = [];
let dir: string;
let cert: string;
let webConfig: string;

/** A self-signed certificate for 127.0.0.1 (its subjectAltName, which TLS clients check), with its key, in `into`. */
function makeCertificate(into: string): void {
  mkdirSync(into, { recursive: true });
  const made = spawnSync(OPENSSL, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=footprint test', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(into, 'key.pem'), '-out', join(into, 'cert.pem'),
  ], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl req failed: ${made.stderr}`);
}

beforeAll(() => {
  assertBuilt();
  if (!existsSync(OPENSSL)) throw new Error(`${OPENSSL} is missing: apt-get install openssl`);
  dir = tempDir('footprint-webconfig-');
  makeCertificate(dir);
  makeCertificate(join(dir, 'other'));
  cert = join(dir, 'cert.pem');
  webConfig = join(dir, 'web.yml');
  // Relative file names, as the exporters take them: from the config file's directory.
  writeFileSync(webConfig, [
    'tls_server_config:', '  cert_file: cert.pem', '  key_file: key.pem',
    'http_server_config:', '  headers:', '    X-Content-Type-Options: nosniff',
    'basic_auth_users:', `  alice: ${bcrypt.hashSync(PASSWORD, 10)}`, '',
  ].join('\n'));
});

afterEach(async () => {
  await stopChildren(started, 'SIGKILL');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** GET over TLS, trusting only the test's certificate; `user:password` as basic auth. */
function httpsGet(url: string, auth?: string, maxVersion?: 'TLSv1.2'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { ca: [readFileSync(cert, 'utf8')], auth, maxVersion, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
  });
}

describe('serve --web-config', () => {
  test('over TLS with basic auth: the right password is answered; a wrong one, an unknown user or none is 401; plain HTTP gets no HTTP answer', async () => {
    const serve = await startServe(started, ['--min-interval', '10s', '--web-config', webConfig]);
    expect(serve.stderr()).toBe(`footprint serve: metrics on https://127.0.0.1:${serve.port}/metrics (TLS (TLSv1.2 to TLSv1.3), basic auth (1 user))\n`);
    const right = await httpsGet(`${serve.url}/metrics`, `alice:${PASSWORD}`);
    expect([right.status, right.headers['content-type'], right.headers['x-content-type-options']]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8', 'nosniff']);
    expect(right.body).toMatch(/^footprint_scan_duration_seconds \S+$/m);
    for (const auth of [`alice:${PASSWORD}x`, `bob:${PASSWORD}`, undefined]) {
      const refused = await httpsGet(`${serve.url}/metrics`, auth);
      expect([refused.status, refused.headers['www-authenticate'], refused.body]).toEqual([401, 'Basic', 'Unauthorized\n']);
    }
    // The landing page too: nothing is served without the password.
    expect((await httpsGet(`${serve.url}/`)).status).toBe(401);
    const plain = await exchange(serve.port, 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(plain.received.toString('latin1')).not.toMatch(/HTTP\/1\.|footprint_/);
  });

  test('min_version TLS13 refuses a client that offers at most TLS 1.2', async () => {
    const strict = join(dir, 'web-tls13.yml');
    writeFileSync(strict, 'tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  min_version: TLS13\n');
    const serve = await startServe(started, ['--web-config', strict]);
    expect(serve.stderr()).toContain('(TLS (TLSv1.3 to TLSv1.3))');
    expect((await httpsGet(`${serve.url}/`)).status).toBe(200);
    await expect(httpsGet(`${serve.url}/`, undefined, 'TLSv1.2')).rejects.toThrow(/alert protocol version|ECONNRESET|socket hang up/);
  });

  test('SIGHUP reads the web config again: a new password is taken, a broken config or one without TLS leaves the one in use', async () => {
    const file = join(dir, 'web-reload.yml');
    const config = (password: string) => `tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\nbasic_auth_users:\n  alice: ${bcrypt.hashSync(password, 4)}\n`;
    writeFileSync(file, config(PASSWORD));
    const serve = await startServe(started, ['--web-config', file]);
    expect((await httpsGet(`${serve.url}/`, `alice:${PASSWORD}`)).status).toBe(200);
    const said = async (line: string) => {
      for (const deadline = Date.now() + 15_000; !serve.stderr().includes(line) && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 50));
      return serve.stderr().includes(line);
    };
    writeFileSync(file, config('new password'));
    serve.child.kill('SIGHUP');
    expect(await said(`footprint serve: reloaded --web-config ${file} (TLS (TLSv1.2 to TLSv1.3), basic auth (1 user))\n`)).toBe(true);
    expect((await httpsGet(`${serve.url}/`, `alice:${PASSWORD}`)).status).toBe(401);
    expect((await httpsGet(`${serve.url}/`, 'alice:new password')).status).toBe(200);
    writeFileSync(file, 'basic_auth_users: [\n');
    serve.child.kill('SIGHUP');
    expect(await said(`footprint serve: --web-config ${file}: not YAML: `)).toBe(true);
    expect(serve.stderr()).toMatch(/; kept the one in use\n$/);
    writeFileSync(file, `basic_auth_users:\n  alice: ${bcrypt.hashSync('plain', 4)}\n`);
    serve.child.kill('SIGHUP');
    expect(await said(`footprint serve: --web-config ${file}: TLS cannot be turned off by a reload (restart serve); kept the one in use\n`)).toBe(true);
    expect((await httpsGet(`${serve.url}/`, 'alice:new password')).status).toBe(200);
    expect(serve.child.exitCode).toBeNull();
  });

  test('a real Prometheus scrapes it over TLS with basic auth; with a wrong password its target is down with 401, over plain HTTP down too', async () => {
    const serve = await startServe(started, ['--min-interval', '0', '--web-config', webConfig]);
    const target = `127.0.0.1:${serve.port}`;
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    const job = (name: string, lines: string[]) => [`  - job_name: ${name}`, ...lines.map((line) => `    ${line}`), '    static_configs:', `      - targets: ['${target}']`];
    writeFileSync(config, [
      'global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:',
      ...job('footprint', ['scheme: https', 'tls_config:', `  ca_file: ${cert}`, 'basic_auth:', '  username: alice', `  password: '${PASSWORD}'`]),
      ...job('wrong', ['scheme: https', 'tls_config:', '  insecure_skip_verify: true', 'basic_auth:', '  username: alice', '  password: wrong']),
      ...job('plain', ['scheme: http', 'basic_auth:', '  username: alice', `  password: '${PASSWORD}'`]),
      '',
    ].join('\n'));
    const prometheus = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    started.push(prometheus);
    const api = `http://127.0.0.1:${port}/api/v1`;
    type Target = { labels: { job: string }; health: string; lastError: string };
    let targets: Record<string, Target> = {};
    let value: string | undefined;
    const settled = () => targets.footprint?.health === 'up' && targets.wrong?.health === 'down' && targets.plain?.health === 'down' && value !== undefined;
    for (const deadline = Date.now() + 45_000; Date.now() < deadline && !settled();) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      try {
        const active = (await (await fetch(`${api}/targets`)).json() as { data: { activeTargets: Target[] } }).data.activeTargets;
        targets = Object.fromEntries(active.map((each) => [each.labels.job, each]));
        const query = encodeURIComponent('footprint_build_info{job="footprint"}');
        const result = (await (await fetch(`${api}/query?query=${query}`)).json() as { data: { result: { value: [number, string] }[] } }).data.result;
        value = result[0]?.value[1];
      } catch {
        // Prometheus is still starting.
      }
    }
    expect(targets.footprint).toMatchObject({ health: 'up', lastError: '' });
    expect(value).toBe('1');
    expect(targets.wrong.health).toBe('down');
    // 401 at first; past a few failures a second, serve waits before each check (then sheds with 429), and the 1 s scrape timeout may come first.
    expect(targets.wrong.lastError).toMatch(/401 Unauthorized|429 Too Many Requests|context deadline exceeded/);
    expect(targets.plain.health).toBe('down');
  }, 60_000);

  test('a bad web config is a usage error of one line, exit 2, before anything listens; its content is never quoted', async () => {
    const port = await freePort();
    const other = join(dir, 'other');
    spawnSync('mkfifo', [join(dir, 'fifo.yml')]);
    const cases: [string, string][] = [
      ['tls_server_config:\n  cert_file: cert.pem\n', 'tls_server_config: key_file (or key) is missing'],
      ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequireAndVerifyClientCert\n',
        'tls_server_config.client_auth_type: RequireAndVerifyClientCert: client certificates are not supported by footprint serve (use basic_auth_users)'],
      ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  min_version: TLS14\n', 'tls_server_config.min_version: "TLS14" is not one of TLS10, TLS11, TLS12, TLS13'],
      ['tls_server_config:\n  cert_file: missing.pem\n  key_file: key.pem\n', `tls_server_config.cert_file ${join(dir, 'missing.pem')}: ENOENT`],
      ['basic_auth_users:\n  alice: hunter2\n', 'basic_auth_users.alice: not a bcrypt hash (make one with: htpasswd -nBC 10 "" | tr -d \':\\n\')'],
      ['tsl_server_config:\n  cert_file: cert.pem\n', 'tsl_server_config: not a field of the web config (fields: tls_server_config, http_server_config, basic_auth_users, rate_limit)'],
      ['rate_limit:\n  interval: 1s\n', 'rate_limit: not supported by footprint serve (it answers one request at a time per connection)'],
    ];
    for (const [index, [yaml, message]] of cases.entries()) {
      const file = join(dir, `bad-${index}.yml`);
      writeFileSync(file, yaml);
      const result = spawnSync(process.execPath, [BIN, 'serve', '--listen', `127.0.0.1:${port}`, '--web-config', file], { encoding: 'utf8' });
      expect([result.status, result.stderr]).toEqual([2, `footprint: --web-config ${file}: ${message}\n`]);
    }
    const usage = (file: string) => spawnSync(process.execPath, [BIN, 'serve', '--listen', `127.0.0.1:${port}`, '--web-config', file], { encoding: 'utf8' });
    // A certificate with another certificate's key.
    const mismatched = join(dir, 'bad-mismatch.yml');
    writeFileSync(mismatched, `tls_server_config:\n  cert_file: cert.pem\n  key_file: ${join(other, 'key.pem')}\n`);
    expect(usage(mismatched)).toMatchObject({ status: 2, stderr: expect.stringMatching(new RegExp(`^footprint: --web-config ${mismatched}: tls_server_config: the certificate and key do not load: .*key values mismatch\\n$`)) });
    // Not YAML: the parser's first line, without the file's text.
    const notYaml = join(dir, 'bad-yaml.yml');
    writeFileSync(notYaml, 'basic_auth_users: [secret-token\n');
    const broken = usage(notYaml);
    expect([broken.status, broken.stderr.split('\n').length, broken.stderr.startsWith(`footprint: --web-config ${notYaml}: not YAML: `), broken.stderr.includes('secret-token')]).toEqual([2, 2, true, false]);
    // Not a regular file: refused before a read could block.
    expect(usage(join(dir, 'fifo.yml'))).toMatchObject({ status: 2, stderr: `footprint: --web-config ${join(dir, 'fifo.yml')}: web config ${join(dir, 'fifo.yml')}: not a regular file\n` });
    expect(usage(join(dir, 'none.yml'))).toMatchObject({ status: 2, stderr: `footprint: --web-config ${join(dir, 'none.yml')}: web config ${join(dir, 'none.yml')}: ENOENT\n` });
  });

  test('--listen beyond loopback without a web config prints one warning line; with one, none', async () => {
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning comes, then listening fails, and nothing is ever exposed.
    const port = await freePort();
    const listen = `192.0.2.1:${port}`;
    const bare = spawnSync(process.execPath, [BIN, 'serve', '--listen', listen], { encoding: 'utf8' });
    expect([bare.status, bare.stderr]).toEqual([1,
      `footprint serve: warning: ${listen} is reachable from the network and there is no --web-config with TLS or basic auth: anyone who can connect reads every program's name and memory\n`
      + `footprint: cannot listen on ${listen}: EADDRNOTAVAIL\n`]);
    const secured = spawnSync(process.execPath, [BIN, 'serve', '--listen', listen, '--web-config', webConfig], { encoding: 'utf8' });
    expect([secured.status, secured.stderr]).toEqual([1, `footprint: cannot listen on ${listen}: EADDRNOTAVAIL\n`]);
  });
});
