/** The report's last column is headed by what its rows are: a program, a command line, a process, a user, a cgroup. */
import { describe, expect, it } from '@jest/globals';
import { procRoot, runCli } from '../helpers/snapshots.js';

const NODE_TREE = procRoot('node-many-mappings');

describe('the heading names the grouping', () => {
  it.each([
    ['program', 'Program', 'node (1)'],
    ['cmdline', 'Command line', "node -e 'setInterval(()=>{},1e6)' (1)"],
    ['pid', 'Process', 'node [11163] (1)'],
    ['user', 'User', 'root (2)'],
    ['cgroup', 'Cgroup', '/process_api/158ba7659ce034f766fb52e55500f356 (2)'],
  ])('--group %s: "%s"', (group, heading, firstRow) => {
    const { status, stdout } = runCli(['--proc-root', NODE_TREE, '--group', group, '-n', '1']);
    expect(status).toBe(0);
    const [header, row] = stdout.split('\n');
    expect(header.split(/\s{2,}/).map((cell) => cell.trim())).toEqual(['Writable', 'Private', 'Shared', 'RAM used', heading]);
    expect(row).toContain(firstRow);
  });
});
