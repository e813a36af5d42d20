/**
 * The reader skips the final empty read for files the kernel writes in one
 * piece (stat, status, smaps_rollup). Checked against Node's own readFileSync
 * on a paused process of known shape, whose files do not change between reads,
 * and on smaps, which comes a few mappings per read and must still arrive whole.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ProcReader } from '../../src/kernel/procReader.js';
import { startMemhog, stopAll, type Memhog } from '../helpers/liveProcesses.js';
import { untilSettled } from '../helpers/procRead.js';
import { whileStable } from '../helpers/stableRead.js';

let hog: Memhog;

beforeAll(async () => {
  // Many mappings: a smaps far longer than one read's worth.
  hog = await startMemhog({ privateMiB: 4, heapKiB: 512, fileMiB: 1 });
}, 30_000);

afterAll(async () => {
  await stopAll();
});

describe('ProcReader reads whole files', () => {
  test.each(['stat', 'status', 'smaps_rollup', 'smaps', 'cmdline'])('%s equals readFileSync', (file) => {
    const reader = new ProcReader();
    const { result } = whileStable([hog.pid], () => {
      const ours = reader.read(`${hog.pid}/${file}`);
      return { ours, theirs: readFileSync(`/proc/${hog.pid}/${file}`, 'utf8') };
    }, ({ ours, theirs }) => ours.ok && ours.text === theirs);
    expect(result.ours).toEqual({ ok: true, text: result.theirs });
    expect(result.theirs.length).toBeGreaterThan(0);
  });

  test('smaps is longer than one read returns, so the multi-read path is exercised', () => {
    expect(readFileSync(`/proc/${hog.pid}/smaps`, 'utf8').length).toBeGreaterThan(4096);
  });

  test('a held stat re-reads whole, and fails once the process is gone', async () => {
    const other = await startMemhog({ privateMiB: 1 });
    // "ready" is printed just before it pauses: wait until it sleeps, so its stat holds still.
    await untilSettled(other.pid, readlinkSync(`/proc/${other.pid}/exe`));
    const reader = new ProcReader();
    const opened = reader.open(`${other.pid}/stat`);
    if (!opened.ok) throw new Error('could not open stat');
    expect(reader.reread(opened.file)).toEqual(opened.text);
    other.process.kill('SIGKILL');
    await new Promise((resolve) => other.process.once('exit', resolve));
    expect(reader.reread(opened.file)).toMatchObject({ ok: false, reason: 'exited' });
    reader.close(opened.file);
  }, 30_000);
});
