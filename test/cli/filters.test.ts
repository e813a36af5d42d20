/** A filter that matches nothing says so; a PID asked for that is not there is "no such process", not "exited". */
import { describe, expect, it } from '@jest/globals';
import { procRoot, runCli, runJson } from '../helpers/snapshots.js';

const NODE_TREE = procRoot('node-many-mappings');

describe('-p and -u that match nothing', () => {
  it('-p of a PID that is not there: exit 1, and one line on stderr that says why (as pgrep: nothing on stdout)', () => {
    const result = runCli(['--proc-root', NODE_TREE, '-p', '999']);
    expect([result.status, result.stdout]).toEqual([1, '']);
    expect(result.stderr).toBe('footprint: no process matched -p 999 (no such process: PID 999)\n');
    // JSON and CSV alike: no document, the same line.
    for (const format of ['--json', '--csv']) {
      expect(runCli(['--proc-root', NODE_TREE, '-p', '999', format])).toMatchObject({ status: 1, stdout: '', stderr: result.stderr });
    }
  });

  it('-p of one PID that is and one that is not: the one measured, the other named; nothing on stderr', () => {
    const result = runCli(['--proc-root', NODE_TREE, '-p', '999,11163']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/ node \(1\)\n/);
    expect(result.stdout).toContain('Left out: no such process: PID 999. ');
    // JSON keeps counting it as gone, as before.
    expect(runJson(['--proc-root', NODE_TREE, '-p', '999,11163']).scan).toMatchObject({ seen: 2, measured: 1, gone: 1 });
  });

  it('-u of a user with no process: exit 1, one line on stderr, nothing on stdout', () => {
    const result = runCli(['--proc-root', NODE_TREE, '-u', 'nobody']);
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', 'footprint: no process matched -u nobody\n']);
  });

  it('--match of a pattern no group has: exit 1, one line; one that some group has: those groups', () => {
    const none = runCli(['--proc-root', NODE_TREE, '--match', 'perl']);
    expect([none.status, none.stdout, none.stderr]).toEqual([1, '', 'footprint: no process matched --match perl\n']);
    // The tree's two processes are both node; the pattern is found in a command line too.
    expect(runJson(['--proc-root', NODE_TREE, '--match', '^node$']).groups.map((group: { name: string }) => group.name)).toEqual(['node']);
  });

  it('live, as root, -u nobody: footprint itself (root) is not counted among nobody\'s processes', () => {
    // Whether nobody has processes here depends on the machine: with none it is exit 1 and one line, and never "footprint itself".
    const text = runCli(['-u', 'nobody']);
    expect(text.stdout).not.toContain('footprint itself');
    expect(text.stderr).not.toContain('footprint itself');
    if (text.status === 1) {
      // Another test's process of nobody's may have exited mid-scan: the line then says so, and stays one line.
      expect(text.stdout).toBe('');
      expect(text.stderr).toMatch(/^footprint: no process matched -u nobody( \(\d+ process(es)? exited during the scan\))?\n$/);
      return;
    }
    const report = JSON.parse(runCli(['-u', 'nobody', '--json']).stdout);
    expect(report.scan.seen).toBe(report.scan.measured + report.scan.denied + report.scan.gone + report.scan.kernelThreads + report.scan.zombies + report.scan.malformed);
  });
});
