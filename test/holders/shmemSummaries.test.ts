import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { describeShmemHighlights, shmemHighlights } from '../../src/holders/shmemHighlights.js';
import { shmemByCgroup } from '../../src/holders/shmemByCgroup.js';
import { shmemMetricFamilies } from '../../src/holders/shmemMetrics.js';
import { renderPrometheusText } from '../../src/render/prometheusText.js';
import { attribution } from './shmemExample.js';

const MIB = 1024 * 1024;

describe('the System block\'s shared-memory line', () => {
  it('names the three largest holders and the orphans\' total, and where to see every holder', () => {
    const highlights = shmemHighlights(attribution(0));
    expect(highlights.largest.map((entry) => [entry.name, entry.bytes, entry.pids, entry.program])).toEqual([
      ['/dev/shm/fp posix', 64 * MIB, [200], 'shmemKinds'],
      ['/SYSV00000000', 48 * MIB, [300], 'shmemKinds'],
      ['/memfd:cache\nline', 32 * MIB, [100, 101], 'postgres'],
    ]);
    expect(describeShmemHighlights(highlights)).toBe('Shared memory 200.0 MiB; largest: /dev/shm/fp posix 64.0 MiB (shmemKinds 200), /SYSV00000000 48.0 MiB (shmemKinds 300), '
      + '/memfd:cache\\nline 32.0 MiB (postgres 100 +1); held by no process: 8.0 MiB in 1 object; footprint shmem names every holder.');
  });

  it('says which orphans a process not read may hold', () => {
    expect(describeShmemHighlights(shmemHighlights(attribution(3)))).toContain('held by no process: 8.0 MiB in 1 object, 8.0 MiB of it perhaps held by processes not read;');
  });
});

describe('serve\'s and export\'s gauges of shared memory', () => {
  const text = renderPrometheusText(shmemMetricFamilies(attribution().totals));

  it('Shmem by kind, summing to Shmem; the orphans\' bytes and count', () => {
    const byKind = text.split('\n').filter((line) => line.startsWith('footprint_shmem_bytes{'));
    expect(byKind).toEqual([
      `footprint_shmem_bytes{kind="tmpfs"} ${72 * MIB}`,
      `footprint_shmem_bytes{kind="unlinked"} ${4 * MIB}`,
      `footprint_shmem_bytes{kind="memfd"} ${32 * MIB}`,
      `footprint_shmem_bytes{kind="sysv"} ${48 * MIB}`,
      'footprint_shmem_bytes{kind="shared_anonymous"} 0',
      `footprint_shmem_bytes{kind="not_attributable"} ${44 * MIB}`,
    ]);
    expect(byKind.reduce((sum, line) => sum + Number(line.split(' ')[1]), 0)).toBe(200 * MIB);
    expect(text).toContain(`\nfootprint_shmem_orphaned_bytes ${8 * MIB}\n`);
    expect(text).toContain('\nfootprint_shmem_orphaned_objects 1\n');
    expect(text).toContain('\nfootprint_shmem_unread_processes 3\n');
  });

  it('promtool check metrics finds nothing to say', () => {
    const check = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect([check.status, check.stdout, check.stderr]).toEqual([0, '', '']);
  });
});

describe('shared memory per cgroup', () => {
  it('each object under the cgroups of its holders, beside the cgroup\'s own shmem figure', () => {
    const cgroupOf = new Map([[100, '/db'], [101, '/db'], [200, '/app'], [300, '/app'], [400, '/batch']]);
    const charged = new Map([['/db', 30 * MIB], ['/app', 120 * MIB], ['/idle', 8 * MIB]]);
    const rows = shmemByCgroup(attribution(), cgroupOf, charged);
    expect(rows.map((entry) => [entry.cgroup, entry.charged, entry.held, entry.rows.map((row) => row.name)])).toEqual([
      ['/app', 120 * MIB, 112 * MIB, ['/dev/shm/fp posix', '/SYSV00000000']],
      ['/db', 30 * MIB, 32 * MIB, ['/memfd:cache\nline']],
      // The orphan's creator left: charged to /idle, held by no one.
      ['/idle', 8 * MIB, 0, []],
      ['/batch', undefined, 4 * MIB, ['/dev/shm/gone']],
    ]);
  });
});
