/** The report's last column is headed by what its rows are: a program, a command line, a process, a user, a cgroup. */
import { describe, expect, it } from '@jest/globals';
import { procRoot, runCli } from '../helpers/snapshots.js';

const NODE_TREE = procRoot('node-many-mappings');

describe('the heading names the grouping', () => {
  it.each([
    ['program', 'Program', 'node (1)', []],
    ['cmdline', 'Command line', "node -e 'setInterval(()=>{},1e6)' (1)", []],
    // One process a row: its Pss_Dirty and oom_score beside it (the score unknown in this tree, captured before capture saved it).
    ['pid', 'Process', 'node [11163] (1)', ['Pss dirty', 'OOM score']],
    ['user', 'User', 'root (2)', []],
    // Each cgroup's charge and limit (unknown: this tree has no cgroup files).
    ['cgroup', 'Cgroup', '/process_api/158ba7659ce034f766fb52e55500f356 (2)', ['Charge', 'Limit']],
  ])('--group %s: "%s"', (group, heading, firstRow, more) => {
    const { status, stdout } = runCli(['--proc-root', NODE_TREE, '--group', group, '-n', '1']);
    expect(status).toBe(0);
    const [header, row] = stdout.split('\n');
    expect(header.split(/\s{2,}/).map((cell) => cell.trim())).toEqual(['Writable', 'Private', 'Shared', 'RAM used', ...more, heading]);
    expect(row).toContain(firstRow);
  });
});
