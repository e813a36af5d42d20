/**
 * Live: hostile web configs. Before issue 20, 1 MB of nested `[[[…` plus
 * SIGHUP stalled a scrape 12.5 s and took serve from 74 to 611 MB; five more
 * SIGHUPs ended in V8's fatal out-of-memory. At start, 600 KB cost 3.4-5.5 s
 * and 373-382 MB before exit 2. Now size and nesting are checked before the
 * YAML parser sees the text.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { stopChildren } from '../helpers/liveProcesses.js';
import { freePort } from '../helpers/ports.js';
import { assertBuilt, FOOTPRINT_BIN } from '../helpers/runFootprint.js';
import { residentBytes, startServe } from '../helpers/serveProcess.js';
import { makeWebConfig, scrape, type MadeConfig } from './floodHelpers.js';

const BIN = FOOTPRINT_BIN;
const MB = 1024 * 1024;
const started: ChildProcess[] = [];
let config: MadeConfig;

/** The line's end for `message` about `file` (the size is refused by the read, which names the file). */
function said(file: string, message: string): string {
  return `--web-config ${file}: ${message === OVER_SIZE ? `web config ${file}: ` : ''}${message}`;
}

/** Hostile texts: nested flow collections past the size cap, nesting within it, and block nesting by indentation. */
const OVER_SIZE = 'over 32768 bytes, not a web config';
const HOSTILE: [string, string, string][] = [
  ['1 MB of [', '['.repeat(1 << 20), OVER_SIZE],
  ['600 KB of [', `basic_auth_users: ${'['.repeat(600 * 1024)}`, OVER_SIZE],
  ['30 KB of [', '['.repeat(30 * 1024), 'nested deeper than 32 levels (counting each [, { and indentation), not a web config'],
  ['{ and [ within 100 bytes', `a: ${'{b: ['.repeat(20)}`, 'nested deeper than 32 levels (counting each [, { and indentation), not a web config'],
  ['compact sequences', `${'- '.repeat(5000)}x\n`, 'nested deeper than 32 levels (counting each [, { and indentation), not a web config'],
  ['indentation', Array.from({ length: 200 }, (_, depth) => `${' '.repeat(depth)}k${depth}:`).join('\n'), 'nested deeper than 32 levels (counting each [, { and indentation), not a web config'],
];

beforeAll(() => {
  assertBuilt();
  config = makeWebConfig();
});

afterEach(async () => {
  await stopChildren(started, 'SIGKILL');
});

afterAll(() => {
  rmSync(config.dir, { recursive: true, force: true });
});

describe('serve --web-config with a hostile file', () => {
  test.each(HOSTILE)('at start, %s: exit 2 with one line, in <= 2 s and <= 200 MB', async (name, text, message) => {
    const file = join(config.dir, `hostile-start-${name.replace(/\W+/g, '-')}.yml`);
    writeFileSync(file, text);
    const port = await freePort();
    const start = performance.now();
    // /usr/bin/time's %M: the whole process's peak RSS (kB), exit included; on its own last line of stderr.
    const result = spawnSync('/usr/bin/time', ['-f', 'maxrss-kB %M', process.execPath, BIN, 'serve', '--listen', `127.0.0.1:${port}`, '--web-config', file], { encoding: 'utf8' });
    const ms = performance.now() - start;
    const peakKB = Number(/^maxrss-kB (\d+)$/m.exec(result.stderr)![1]);
    const own = result.stderr.split('\n').filter((line) => !/^maxrss-kB |^Command exited with non-zero status|^$/.test(line));
    expect([result.status, own]).toEqual([2, [`footprint: ${said(file, message)}`]]);
    expect(ms).toBeLessThanOrEqual(2000);
    expect(peakKB * 1024).toBeLessThanOrEqual(200 * MB);
  });

  test('six hostile SIGHUPs: serve stays up on its old config, says one line each, scrapes in <= 1 s, RSS <= 150 MB', async () => {
    const file = join(config.dir, 'reloaded.yml');
    writeFileSync(file, config.text);
    const serve = await startServe(started, ['--min-interval', '0', '--web-config', file]);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect((await scrape(serve.port, agent, config.ca)).status).toBe(200);
      const kept = () => serve.stderr().split('\n').filter((line) => line.endsWith('; kept the one in use')).length;
      for (let round = 0; round < 6; round++) {
        const [, text, message] = HOSTILE[round % HOSTILE.length];
        writeFileSync(file, text);
        serve.child.kill('SIGHUP');
        for (const deadline = Date.now() + 20_000; kept() <= round && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(kept()).toBe(round + 1);
        expect(serve.stderr().split('\n').at(-2)).toBe(`footprint serve: ${said(file, message)}; kept the one in use`);
        const answered = await scrape(serve.port, agent, config.ca);
        expect(answered.status).toBe(200);
        expect(answered.ms).toBeLessThanOrEqual(1000);
        expect(residentBytes(serve.child.pid!)).toBeLessThanOrEqual(150 * MB);
      }
      expect(serve.child.exitCode).toBeNull();
      // The old config is the one in use: a fresh connection with the old password is let in.
      const fresh = new Agent({ keepAlive: false });
      expect((await scrape(serve.port, fresh, config.ca)).status).toBe(200);
      fresh.destroy();
    } finally {
      agent.destroy();
    }
  }, 120_000);
});
