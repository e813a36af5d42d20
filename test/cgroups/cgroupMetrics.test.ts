import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CgroupReader } from '../../src/kernel/cgroupReader.js';
import { buildCgroupRows } from '../../src/cgroups/core/cgroupRows.js';
import { readCgroupTree } from '../../src/cgroups/readCgroupTree.js';
import { readOomCounts } from '../../src/cgroups/readOomCounts.js';
import { cgroupMetrics, oomKillsBySubtree } from '../../src/cgroups/core/cgroupMetrics.js';
import { renderPrometheusText } from '../../src/render/prometheusText.js';
import { REPO } from '../helpers/snapshots.js';

const PROMTOOL = '/usr/bin/promtool';

function metricsOf(tree: string, depth: number, machineOomKills?: number): string {
  const reader = new CgroupReader(join(REPO, 'snapshots', tree, 'cgroup'));
  const rows = buildCgroupRows(readCgroupTree(reader, { version: 2, maxDepth: depth }), undefined);
  const oomKills = oomKillsBySubtree(readOomCounts(undefined, { reader, version: 2 }).cgroups, 'subtree');
  return renderPrometheusText(cgroupMetrics({ version: 2, kills: 'subtree', rows, oomKills, machineOomKills }));
}

const samples = (text: string, family: string) => text.split('\n').filter((line) => line.startsWith(`${family}{`) || line.startsWith(`${family} `));

/*
 * By hand from the files of snapshots/cgroup-v2-6.6/cgroup (cat of each):
 *   memory.events oom_kill: system.slice 1, nginx.service 1, postgres.service 0; the root has no memory.events (v2).
 *   memory.max / high / low / min: nginx 134217728 / 117440512 / 0 / 0; system.slice and postgres max / max / 0 / 0 ("max": no series).
 *   memory.peak: system.slice 231735296, postgres 140509184, nginx 104857600 (none on 5.15: 5.19+).
 *   nginx's parts: test/cgroups/chargeParts.test.ts works them out (anon 52428800 ... uncounted 122880, summing to memory.current 91086848).
 */
describe('the cgroup families from a captured v2 tree (6.6)', () => {
  const text = metricsOf('cgroup-v2-6.6', 2, 3);

  it('OOM kills per cgroup as the kernel counts them (the subtree), and the machine\'s in a family of its own', () => {
    expect(samples(text, 'footprint_oom_kills_total')).toEqual([
      'footprint_oom_kills_total{cgroup="/system.slice"} 1',
      'footprint_oom_kills_total{cgroup="/system.slice/nginx.service"} 1',
      'footprint_oom_kills_total{cgroup="/system.slice/postgres.service"} 0',
    ]);
    expect(samples(text, 'footprint_oom_kills_machine_total')).toEqual(['footprint_oom_kills_machine_total 3']);
    expect(text).toContain('# TYPE footprint_oom_kills_total counter\n');
  });

  it("nginx.service's charge part by part, adding up to memory.current", () => {
    const nginx = samples(text, 'footprint_cgroup_memory_bytes').filter((line) => line.includes('cgroup="/system.slice/nginx.service"'));
    const parts = Object.fromEntries(nginx.map((line) => [/part="(\w+)"/.exec(line)![1], Number(line.split(' ')[1])]));
    expect(parts).toEqual({
      anon: 52428800, shmem: 4194304, fileActive: 18874368, fileInactive: 8388608, fileOffLru: 0,
      slabReclaimable: 2094176, slabUnreclaimable: 1051704, kernelStacks: 524288, pageTables: 819200, percpu: 161280,
      vmalloc: 65536, zswap: 1048576, kernelOther: 1050984, sock: 262144, uncounted: 122880,
    });
    expect(Object.values(parts).reduce((sum, bytes) => sum + bytes, 0)).toBe(91086848);
  });

  it('limits by kind, only where there is one; peaks', () => {
    expect(samples(text, 'footprint_cgroup_limit_bytes').filter((line) => line.includes('nginx'))).toEqual([
      'footprint_cgroup_limit_bytes{cgroup="/system.slice/nginx.service",kind="max"} 134217728',
      'footprint_cgroup_limit_bytes{cgroup="/system.slice/nginx.service",kind="high"} 117440512',
      'footprint_cgroup_limit_bytes{cgroup="/system.slice/nginx.service",kind="low"} 0',
      'footprint_cgroup_limit_bytes{cgroup="/system.slice/nginx.service",kind="min"} 0',
    ]);
    expect(samples(text, 'footprint_cgroup_limit_bytes').filter((line) => line.includes('cgroup="/system.slice"'))).toEqual([
      'footprint_cgroup_limit_bytes{cgroup="/system.slice",kind="low"} 0',
      'footprint_cgroup_limit_bytes{cgroup="/system.slice",kind="min"} 0',
    ]);
    expect(samples(text, 'footprint_cgroup_peak_bytes')).toEqual([
      'footprint_cgroup_peak_bytes{cgroup="/system.slice"} 231735296',
      'footprint_cgroup_peak_bytes{cgroup="/system.slice/nginx.service"} 104857600',
      'footprint_cgroup_peak_bytes{cgroup="/system.slice/postgres.service"} 140509184',
    ]);
  });

  it('promtool check metrics finds nothing to say', () => {
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect([check.status, check.stdout, check.stderr]).toEqual([0, '', '']);
  });
});

describe('--cgroup-depth bounds the series; a kernel before memory.peak has no peak series', () => {
  it('depth 1: system.slice only (the v2 top has none of these files, so no series)', () => {
    const text = metricsOf('cgroup-v2-6.6', 1);
    const cgroups = new Set(text.split('\n').flatMap((line) => /cgroup="([^"]*)"/.exec(line)?.[1] ?? []));
    expect([...cgroups]).toEqual(['/system.slice']);
    expect(samples(text, 'footprint_oom_kills_machine_total')).toEqual([]);
  });

  it('5.15: the same kills, no peaks', () => {
    const text = metricsOf('cgroup-v2-5.15', 2);
    expect(samples(text, 'footprint_oom_kills_total').filter((line) => line.endsWith(' 1'))).toHaveLength(2);
    expect(samples(text, 'footprint_cgroup_peak_bytes')).toEqual([]);
  });
});

describe('v1 counts a kill in the victim\'s cgroup alone: footprint sums each subtree', () => {
  it('the kills of /a/b and /a/c reach /a and the top', () => {
    const own = new Map([['/', { oomKills: 0 }], ['/a', { oomKills: 1 }], ['/a/b', { oomKills: 2 }], ['/a/c', { oomKills: 3 }], ['/d', {}]]);
    expect(oomKillsBySubtree(own, 'own')).toEqual(new Map([['/', 6], ['/a', 6], ['/a/b', 2], ['/a/c', 3]]));
  });
});
