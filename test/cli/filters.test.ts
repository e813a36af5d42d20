/** A filter that matches nothing says so; a PID asked for that is not there is "no such process", not "exited". */
import { describe, expect, it } from '@jest/globals';
import { procRoot, runCli, runJson } from '../helpers/snapshots.js';

const NODE_TREE = procRoot('node-many-mappings');

describe('-p and -u that match nothing', () => {
  it('-p of a PID that is not there: no such process, on the Left out line and on stderr', () => {
    const result = runCli(['--proc-root', NODE_TREE, '-p', '999']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('footprint: no process matched -p 999 (the Left out line says why)\n');
    expect(result.stdout).toContain('Left out: no such process: PID 999. 0 kernel threads and 0 zombies hold no user memory; 0 of 1 processes measured in ');
  });

  it('-p of one PID that is and one that is not: the one measured, the other named; nothing on stderr', () => {
    const result = runCli(['--proc-root', NODE_TREE, '-p', '999,11163']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/ node \(1\)\n/);
    expect(result.stdout).toContain('Left out: no such process: PID 999. ');
    // JSON keeps counting it as gone, as before.
    expect(runJson(['--proc-root', NODE_TREE, '-p', '999,11163']).scan).toMatchObject({ seen: 2, measured: 1, gone: 1 });
  });

  it('-u of a user with no process: one line on stderr, and the count is of that user alone', () => {
    const result = runCli(['--proc-root', NODE_TREE, '-u', 'nobody']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('footprint: no process matched -u nobody\n');
    expect(result.stdout).toContain('Nothing left out. 0 kernel threads and 0 zombies hold no user memory; 0 of 0 processes measured in ');
  });

  it('live, as root, -u nobody: footprint itself (root) is not counted among nobody\'s processes', () => {
    const text = runCli(['-u', 'nobody']);
    expect(text.status).toBe(0);
    // It was "Left out: footprint itself (PID N) left out. … 0 of 1 processes measured" with no process of nobody's.
    expect(text.stdout).not.toContain('footprint itself');
    const report = JSON.parse(runCli(['-u', 'nobody', '--json']).stdout);
    expect(report.scan.seen).toBe(report.scan.measured + report.scan.denied + report.scan.gone + report.scan.kernelThreads + report.scan.zombies + report.scan.malformed);
  });
});
