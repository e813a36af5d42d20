/**
 * `footprint shmem` while processes come and go: Python processes live a few
 * tens of milliseconds each, so some exit between the listing of /proc and the
 * reads of their maps and fd/. Each run must still exit 0 and name a holder
 * that stays, with its object's exact size: a process that vanished mid-read
 * holds nothing and never stops the scan.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { ShmemAttribution } from '../../src/holders/shmemAttribution.js';
import { stopChildren } from '../helpers/liveProcesses.js';
import { assertBuilt, footprint } from '../helpers/runFootprint.js';
import { startShmemKind, type StartedKind } from '../holders/startShmemKind.js';

const MIB = 1024 * 1024;
const NAME = `fp-shmem-churn-${process.pid}`;
const RUNS = 6;

const children: ChildProcess[] = [];

describe('shmem under churn', () => {
  let holder: StartedKind;

  beforeAll(async () => {
    assertBuilt();
    holder = await startShmemKind(['posix', `/${NAME}`, '8'], children);
  }, 60_000);

  afterAll(async () => {
    await stopChildren(children, 'SIGTERM');
    rmSync(`/dev/shm/${NAME}`, { force: true });
  });

  it('every run exits 0 and names the holder that stays, while others exit mid-read', async () => {
    // Three short-lived Pythons at a time, for as long as the runs take; its group (the loop's PID) is ended after.
    const churn = spawn('sh', ['-c', 'while :; do python3 -c "import json" & python3 -c "import json" & python3 -c "import json" & wait; done'], { stdio: 'ignore', detached: true });
    const ended = new Promise<void>((resolve) => churn.once('exit', () => resolve()));
    try {
      for (let run = 0; run < RUNS; run++) {
        const result = footprint(['shmem', '--json', '--match', NAME]);
        expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
        const document = JSON.parse(result.stdout) as ShmemAttribution;
        const rows = document.rows.filter((row) => row.name.includes(NAME));
        expect(rows).toHaveLength(1);
        expect(rows[0].bytes).toBe(8 * MIB);
        expect(rows[0].pids).toContain(holder.pid);
      }
    } finally {
      process.kill(-churn.pid!, 'SIGKILL');
      await ended;
    }
  }, 240_000);
});
