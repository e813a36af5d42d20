/**
 * `footprint export --cgroup-root`: the cgroup families from a captured v2
 * tree beside a captured /proc, promtool-clean; --cgroup-depth bounds them.
 * The figures are worked by hand in test/reduce/cgroupMetrics.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { REPO, procRoot, runCli } from '../helpers/snapshots.js';

const PROMTOOL = '/usr/bin/promtool';
const TREE = join(REPO, 'snapshots', 'cgroup-v2-6.6', 'cgroup');

describe('footprint export with a captured cgroup tree', () => {
  const result = runCli(['export', '--proc-root', procRoot('kernel-thread'), '--cgroup-root', TREE]);

  test('the cgroup families come with the report\'s, and promtool finds nothing to say', () => {
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toContain('footprint_oom_kills_total{cgroup="/system.slice/nginx.service"} 1\n');
    expect(result.stdout).toContain('footprint_cgroup_limit_bytes{cgroup="/system.slice/nginx.service",kind="max"} 134217728\n');
    expect(result.stdout).toContain('footprint_cgroup_memory_bytes{cgroup="/system.slice/nginx.service",part="anon"} 52428800\n');
    expect(result.stdout).toContain('footprint_cgroup_peak_bytes{cgroup="/system.slice/nginx.service"} 104857600\n');
    // The captured /proc has no vmstat: the machine's family is there, without a series.
    expect(result.stdout).toContain('# TYPE footprint_oom_kills_machine_total counter\n# HELP footprint_cgroup_memory_bytes');
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: result.stdout, encoding: 'utf8' });
    expect([check.status, check.stdout, check.stderr]).toEqual([0, '', '']);
  });

  test('--cgroup-depth 1 leaves the services out; a depth that is no number is a usage error; a tree that is none too', () => {
    const shallow = runCli(['export', '--proc-root', procRoot('kernel-thread'), '--cgroup-root', TREE, '--cgroup-depth', '1']);
    expect(shallow.status).toBe(0);
    expect(shallow.stdout).toContain('cgroup="/system.slice"');
    expect(shallow.stdout).not.toContain('nginx.service');
    expect(runCli(['export', '--cgroup-depth', 'deep'])).toMatchObject({ status: 2, stderr: 'footprint: --cgroup-depth: "deep" is not a whole number from 0 to 99\n' });
    const none = runCli(['export', '--proc-root', procRoot('kernel-thread'), '--cgroup-root', procRoot('kernel-thread')]);
    expect(none).toMatchObject({ status: 2, stdout: '' });
    expect(none.stderr).toMatch(/^footprint: --cgroup-root .*: not a memory cgroup tree/);
  });
});
