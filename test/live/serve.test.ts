/**
 * Live: `footprint serve` answering real HTTP, linted by promtool, scraped by a
 * real Prometheus server, under 200 scrapes at once, with a /proc it cannot read,
 * and as user nobody with CAP_SYS_PTRACE alone (what the systemd unit grants).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../helpers/ports.js';
import { exchange, splitResponses, startServe as startServeProcess } from '../helpers/serveProcess.js';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { AS_NOBODY, fixtureBinary, stopChildren } from '../helpers/liveProcesses.js';
import { readRollup, readStatusBytes } from '../helpers/procRead.js';
import { assertBuilt, FOOTPRINT_HOME, homeForNobody, removeNobodyCopy, FOOTPRINT_BIN } from '../helpers/runFootprint.js';
import { procRoot } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

const PROMTOOL = '/usr/bin/promtool';
const PROMETHEUS = '/usr/bin/prometheus';
let dir: string;
let program: string;
let binary: string;
const started: ChildProcess[] = [];

beforeAll(() => {
  assertBuilt();
  dir = tempDir('footprint-serve-');
  chmodSync(dir, 0o755);
  // A program name no other test file runs: its series is this file's alone.
  program = `fp-serve-${process.pid}`;
  binary = join(dir, program);
  copyFileSync(fixtureBinary('memscript'), binary);
  chmodSync(binary, 0o755);
});

afterEach(async () => {
  // Every process a test started is ended by its PID.
  await stopChildren(started, 'SIGKILL');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeNobodyCopy();
});

/** Starts `footprint serve` and resolves with its base URL once it says it listens. */
function startServe(args: string[] = [], prefix: string[] = [], home = FOOTPRINT_HOME, env: Record<string, string> = {}) {
  return startServeProcess(started, args, prefix, home, env);
}

/** A paused memscript of known memory under this file's own name (or another copy's). */
function startHolder(prefix: string[] = [], program = binary): Promise<number> {
  const command = [...prefix, program, 'w12', 'r', 's60000'];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  let out = '';
  return new Promise((resolve) => {
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const reports = [...out.matchAll(/^report (\d+) \d+$/gm)];
      if (reports.length >= 3) resolve(Number(reports[0][1]));
    });
  });
}

function seriesValue(body: string, family: string, label: string): number | undefined {
  const line = body.split('\n').find((each) => each.startsWith(`${family}{program="${label}"} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('footprint serve', () => {
  test('GET /metrics: the text format, linted clean by promtool, with the exact figures of a process of known memory', async () => {
    const pid = await startHolder();
    const { url } = await startServe(['--min-interval', '0']);
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await response.text();
    expect(seriesValue(body, 'footprint_writable_bytes', program)).toBe(readRollup(pid).Private_Dirty);
    expect(seriesValue(body, 'footprint_processes', program)).toBe(1);
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect([check.status, check.stdout, check.stderr]).toEqual([0, '', '']);
  });

  test('--rollup-max-rss: a process over the ceiling is measured from its status, counted and marked; one under it, from smaps_rollup', async () => {
    const pid = await startHolder(); // 12 MiB written
    // Two threads, and one (whose scan reads ahead on libuv's threads and skips the rollup there too).
    let body = '';
    for (const env of [{}, { FOOTPRINT_SCAN_THREADS: '1' }] as Record<string, string>[]) {
      const over = await startServe(['--min-interval', '0', '--rollup-max-rss', '8M'], [], FOOTPRINT_HOME, env);
      body = await (await fetch(`${over.url}/metrics`)).text();
      expect(seriesValue(body, 'footprint_writable_bytes', program)).toBe(readStatusBytes(pid).RssAnon);
      expect(seriesValue(body, 'footprint_estimated_processes', program)).toBe(1);
      expect(Number(/^footprint_scan_processes\{outcome="estimated"\} (\d+)$/m.exec(body)![1])).toBeGreaterThanOrEqual(1);
    }
    const under = await startServe(['--min-interval', '0', '--rollup-max-rss', '1G']);
    const exact = await (await fetch(`${under.url}/metrics`)).text();
    expect(seriesValue(exact, 'footprint_writable_bytes', program)).toBe(readRollup(pid).Private_Dirty);
    expect(seriesValue(exact, 'footprint_estimated_processes', program)).toBeUndefined();
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect([check.status, check.stdout, check.stderr]).toEqual([0, '', '']);
  });

  test('scanned on two threads (the default) or on one (FOOTPRINT_SCAN_THREADS=1), the series of processes of known memory are the kernel\'s', async () => {
    const pids = await Promise.all([startHolder(), startHolder(), startHolder()]);
    const both = await startServe(['--min-interval', '0']);
    const one = await startServe(['--min-interval', '0'], [], FOOTPRINT_HOME, { FOOTPRINT_SCAN_THREADS: '1' });
    const expected = pids.reduce((sum, pid) => sum + readRollup(pid).Private_Dirty, 0);
    for (const { url } of [both, one, both, one]) {
      const body = await (await fetch(`${url}/metrics`)).text();
      expect([seriesValue(body, 'footprint_writable_bytes', program), seriesValue(body, 'footprint_processes', program)]).toEqual([expected, 3]);
    }
  });

  test('scrape after scrape leaves no file descriptor open: the same descriptors after 1 scrape and after 30', async () => {
    const { url, child } = await startServe(['--min-interval', '0']);
    // A closed connection's socket goes a moment after its response: counted once the count holds for 100 ms.
    const settledDescriptors = async () => {
      let last = -1;
      let steady = 0;
      for (const deadline = Date.now() + 5000; steady < 5 && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
        const now = readdirSync(`/proc/${child.pid}/fd`).length;
        steady = now === last ? steady + 1 : 0;
        last = now;
      }
      return last;
    };
    await (await fetch(`${url}/metrics`, { headers: { connection: 'close' } })).text();
    const afterOne = await settledDescriptors();
    for (let index = 0; index < 30; index++) await (await fetch(`${url}/metrics`, { headers: { connection: 'close' } })).text();
    expect(await settledDescriptors()).toBe(afterOne);
  });

  test('GET / links to /metrics; other paths 404, other methods 405', async () => {
    const { url } = await startServe();
    const landing = await fetch(`${url}/`);
    expect([landing.status, landing.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await landing.text()).toContain('<a href="/metrics">/metrics</a>');
    expect((await fetch(`${url}/nothing`)).status).toBe(404);
    const post = await fetch(`${url}/metrics`, { method: 'POST', body: 'x' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  test('an absolute-form request line (GET http://host/metrics) is answered like its path', async () => {
    const { url } = await startServe(['--min-interval', '10s']);
    const port = Number(new URL(url).port);
    const ask = async (target: string) => splitResponses((await exchange(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)).received)[0];
    const [absolute, origin] = [await ask(`http://127.0.0.1:${port}/metrics`), await ask('/metrics')];
    expect([absolute.status, absolute.headers['content-type']]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    // One shared scan (--min-interval 10s): the same text both ways.
    expect(absolute.body).toBe(origin.body);
    expect((await ask(`http://127.0.0.1:${port}/?x=1`)).body).toContain('<a href="/metrics">/metrics</a>');
    expect((await ask('http://127.0.0.1/nothing')).status).toBe(404);
  });

  test('a program named with ESC and U+202E: its label is the report text\'s escape in /metrics and in export, and promtool finds the text clean', async () => {
    const hostile = `fp-\x1b[31m-\u202e-${process.pid}`;
    const copy = join(dir, hostile);
    copyFileSync(binary, copy);
    chmodSync(copy, 0o755);
    const pid = await startHolder([], copy);
    const { url } = await startServe(['--min-interval', '0']);
    const served = await (await fetch(`${url}/metrics`)).text();
    const exported = spawnSync(process.execPath, [FOOTPRINT_BIN, 'export'], { encoding: 'utf8' });
    expect(exported.status).toBe(0);
    // The value Prometheus reads is fp-\e[31m-\u202e-PID: visible backslash escapes, as the report shows the name.
    const line = `footprint_writable_bytes{program="fp-\\\\e[31m-\\\\u202e-${process.pid}"} ${readRollup(pid).Private_Dirty}`;
    for (const text of [served, exported.stdout]) {
      expect(text.split('\n')).toContain(line);
      expect(text).not.toMatch(/[\x1b\u202e]/);
      const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect([check.status, check.stdout, check.stderr]).toEqual([0, '', '']);
    }
  });

  test('200 scrapes at once are all answered, by one shared scan', async () => {
    const { url } = await startServe(['--min-interval', '10s']);
    const responses = await Promise.all(Array.from({ length: 200 }, () => fetch(`${url}/metrics`).then(async (r) => [r.status, await r.text()] as const)));
    expect(responses.every(([status]) => status === 200)).toBe(true);
    expect(new Set(responses.map(([, body]) => body)).size).toBe(1);
  });

  test('a /proc that cannot be read answers 500 with one line, and serving goes on', async () => {
    const tree = join(dir, 'tree');
    cpSync(procRoot('node-many-mappings'), tree, { recursive: true });
    const { url } = await startServe(['--proc-root', tree, '--min-interval', '0']);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    renameSync(join(tree, 'meminfo'), join(tree, 'meminfo.away'));
    const failed = await fetch(`${url}/metrics`);
    expect([failed.status, await failed.text()]).toEqual([500, `scan failed: --proc-root ${tree}: not a /proc tree (no readable meminfo)\n`]);
    renameSync(join(tree, 'meminfo.away'), join(tree, 'meminfo'));
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
  });

  test('command lines in labels only when asked for by name; a bad --listen is a usage error', () => {
    const bin = FOOTPRINT_BIN;
    expect(spawnSync(process.execPath, [bin, 'serve', '--group', 'cmdline'], { encoding: 'utf8' })).toMatchObject({
      status: 2, stderr: 'footprint: serve --group cmdline puts command lines in labels, which can carry secrets: add --expose-command-lines to mean it\n',
    });
    expect(spawnSync(process.execPath, [bin, 'serve', '--listen', 'localhost'], { encoding: 'utf8' })).toMatchObject({
      status: 2, stderr: 'footprint: --listen: "localhost" is not HOST:PORT (example: 127.0.0.1:19464)\n',
    });
    expect(spawnSync(process.execPath, [bin, 'serve', '--rollup-max-rss', 'lots'], { encoding: 'utf8' })).toMatchObject({
      status: 2, stderr: 'footprint: --rollup-max-rss: "lots" is not a size (examples: 100MiB, 2GiB, 512KiB)\n',
    });
  });

  test("as nobody with CAP_SYS_PTRACE alone, root's process is measured exactly; without it, denied", async () => {
    const pid = await startHolder();
    const home = homeForNobody();
    const withCap = [...AS_NOBODY, '--inh-caps', '+sys_ptrace', '--ambient-caps', '+sys_ptrace'];
    const { url } = await startServe(['--min-interval', '0'], withCap, home);
    const body = await (await fetch(`${url}/metrics`)).text();
    expect(seriesValue(body, 'footprint_writable_bytes', program)).toBe(readRollup(pid).Private_Dirty);
    const without = await startServe(['--min-interval', '0'], AS_NOBODY, home);
    const denied = await (await fetch(`${without.url}/metrics`)).text();
    expect(seriesValue(denied, 'footprint_writable_bytes', program)).toBeUndefined();
    expect(Number(/^footprint_scan_processes\{outcome="denied"\} (\d+)$/m.exec(denied)![1])).toBeGreaterThan(0);
  });

  test('a real Prometheus scrapes it every second: the target is up, and a query returns the kernel\'s figure', async () => {
    const pid = await startHolder();
    const { url } = await startServe(['--min-interval', '0']);
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: footprint\n    static_configs:\n      - targets: ['${url.slice('http://'.length)}']\n`);
    const prometheus = spawn(PROMETHEUS, [
      `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`,
    ], { stdio: 'ignore' });
    started.push(prometheus);
    const api = `http://127.0.0.1:${port}/api/v1`;
    const query = `footprint_writable_bytes{program="${program}"}`;
    let value: number | undefined;
    let health = '';
    for (const deadline = Date.now() + 45_000; Date.now() < deadline && value === undefined;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      try {
        const targets = await (await fetch(`${api}/targets`)).json() as { data: { activeTargets: { health: string }[] } };
        health = targets.data.activeTargets[0]?.health ?? '';
        const result = await (await fetch(`${api}/query?query=${encodeURIComponent(query)}`)).json() as { data: { result: { value: [number, string] }[] } };
        if (health === 'up' && result.data.result.length > 0) value = Number(result.data.result[0].value[1]);
      } catch {
        // Prometheus is still starting.
      }
    }
    expect(health).toBe('up');
    expect(value).toBe(readRollup(pid).Private_Dirty);
  }, 60_000);
});
