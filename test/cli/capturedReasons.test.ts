/**
 * Offline, reasons name the capture, not the current user (issue 22 item 8): a
 * real capture made as user nobody of a root process (memhog, 16 MiB written)
 * lacks that process's smaps; read back as root, the report, `show` and
 * `cgroups` say the capture did not hold its files, never "run as root".
 */
import { chownSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { footprint, footprintAsNobody, removeNobodyCopy, reportJson } from '../helpers/runFootprint.js';
import { startMemhog, stopAll, type Memhog } from '../helpers/liveProcesses.js';
import { tempDir } from '../helpers/tempPaths.js';

const MIB = 1024 * 1024;
let dir: string;
let procRoot: string;
let hog: Memhog;

beforeAll(async () => {
  hog = await startMemhog({ privateMiB: 16 });
  dir = tempDir('footprint-captured-reasons-');
  // nobody's own directory: capture writes only where other users cannot.
  chownSync(dir, 65534, 65534);
  const capture = footprintAsNobody(['capture', join(dir, 'snap'), '--pid', String(hog.pid)]);
  expect(capture.status).toBe(0);
  // nobody could not read root's memhog: nothing of it measured, one not readable.
  expect(capture.stdout).toMatch(/^Captured 0 processes .*\(1 not readable/);
  procRoot = join(dir, 'snap', 'proc');
}, 60_000);

afterAll(async () => {
  await stopAll();
  removeNobodyCopy();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('a capture made by nobody, read as root', () => {
  it('the report says the capture lacks the process, and offers --estimate, not "run as root"', () => {
    // The capture holds memhog alone: the report of the whole tree.
    const result = footprint(['--proc-root', procRoot]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Left out: 1 process not in the capture (the user who captured could not read it); --estimate weighs it from the status it holds.');
    expect(result.stdout).not.toMatch(/as root|ptrace/);
  });

  it('--estimate weighs it from the captured status, and says so', () => {
    const result = footprint(['--proc-root', procRoot, '--estimate']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('1 process not in the capture (the user who captured could not read it), estimated from the status it holds (marked ~)');
    const report = reportJson(footprint(['--proc-root', procRoot, '--estimate', '--json']));
    expect(report.scan).toMatchObject({ denied: 1, estimated: 1, measured: 0 });
    // RssAnon stands in for writable memory: at least the 16 MiB memhog wrote.
    expect(report.totals.writable).toBeGreaterThanOrEqual(16 * MIB);
  });

  it('-p of that PID matches nothing, and says why in the same words', () => {
    const result = footprint(['--proc-root', procRoot, '-p', String(hog.pid)]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('1 process not in the capture (the user who captured could not read it)');
    expect(result.stderr).not.toMatch(/as root/);
  });

  it('show PID names the capture', () => {
    const result = footprint(['show', String(hog.pid), '--proc-root', procRoot]);
    expect(result).toEqual({ status: 1, stdout: '', stderr: `footprint: cannot show PID ${hog.pid}: not in the capture (the user who captured could not read it)\n` });
  });

  it('cgroups names the capture', () => {
    const result = footprint(['cgroups', '--proc-root', procRoot]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^1 process could not be measured \(not in the capture: the user who captured could not read it\)/m);
  });

  it('live, nobody is still told whose process it is and to run as root', () => {
    const result = footprintAsNobody(['show', String(hog.pid)]);
    expect(result).toEqual({ status: 1, stdout: '', stderr: `footprint: cannot show PID ${hog.pid}: not permitted (another user's process; run as root)\n` });
  });
});
