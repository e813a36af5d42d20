/**
 * Live: TLS handshakes that never finish (bench/serveFlood.mjs: a whole
 * ClientHello, then silence), 600 from 8 loopback addresses. Before, 512 of
 * them held at once left serve's RSS 43 MB higher for good; now at most 64 are
 * under way (the oldest gives way), each for at most the head's deadline, and
 * RSS comes back within 20 MB of idle.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { stopChildren } from '../helpers/liveProcesses.js';
import { assertBuilt } from '../helpers/runFootprint.js';
import { residentBytes, startServe } from '../helpers/serveProcess.js';
import { makeWebConfig, runFlood, scrape, type MadeConfig } from './floodHelpers.js';

const MB = 1024 * 1024;
const started: ChildProcess[] = [];
let config: MadeConfig;

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

describe('serve --web-config under unfinished TLS handshakes', () => {
  test('600 handshakes never finished: all closed by serve, a scrape answered meanwhile, RSS back within 20 MB of idle', async () => {
    const serve = await startServe(started, ['--min-interval', '1s', '--web-config', config.file]);
    const pid = serve.child.pid!;
    const agent = new Agent({ keepAlive: false });
    try {
      expect((await scrape(serve.port, agent, config.ca)).status).toBe(200);
      const idle = residentBytes(pid);
      const flood = runFlood(started, ['handshakes', String(serve.port), '600', '8']);
      const during = await scrape(serve.port, agent, config.ca);
      const summary = await flood;
      expect(summary).toMatchObject({ count: 600, closedByServer: 600 });
      expect(during.status).toBe(200);
      // Waited for, not slept: serve collects the handshakes' garbage as their connections close.
      let rss = residentBytes(pid);
      for (const deadline = Date.now() + 15_000; rss > idle + 20 * MB && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        rss = residentBytes(pid);
      }
      expect(rss - idle).toBeLessThanOrEqual(20 * MB);
      expect(serve.child.exitCode).toBeNull();
    } finally {
      agent.destroy();
    }
  }, 90_000);
});
