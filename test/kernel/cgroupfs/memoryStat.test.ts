import { describe, expect, it } from '@jest/globals';
import { parseFlatKeyed } from '../../../src/kernel/cgroupfs/flatKeyed.js';
import { parseMemoryStatV1 } from '../../../src/kernel/cgroupfs/memoryStatV1.js';
import { parseMemoryStatV2 } from '../../../src/kernel/cgroupfs/memoryStatV2.js';
import { parseMemoryEvents, parseOomControl } from '../../../src/kernel/cgroupfs/memoryEvents.js';
import { parseCgroupProcs } from '../../../src/kernel/cgroupfs/cgroupProcs.js';

/** memory.stat of a v1 child cgroup on this machine (6.18, memory controller at /sys/fs/cgroup/memory). */
const V1_STAT = `cache 614400
rss 1712128
rss_huge 0
shmem 0
mapped_file 0
dirty 36864
writeback 0
workingset_refault_anon 0
workingset_refault_file 126
swap 0
swapcached 0
pgpgin 21262
pgpgout 20698
pgfault 48619
pgmajfault 7
inactive_anon 1548288
active_anon 12288
inactive_file 167936
active_file 446464
unevictable 0
hierarchical_memory_limit 9223372036854771712
hierarchical_memsw_limit 9223372036854771712
total_cache 614400
total_rss 1712128
total_rss_huge 0
total_shmem 0
total_mapped_file 0
total_dirty 36864
total_writeback 0
total_workingset_refault_anon 0
total_workingset_refault_file 126
total_swap 0
total_swapcached 0
total_pgpgin 21262
total_pgpgout 20698
total_pgfault 48619
total_pgmajfault 7
total_inactive_anon 1548288
total_active_anon 12288
total_inactive_file 167936
total_active_file 446464
total_unevictable 0
`;

describe('flat-keyed files', () => {
  it('keeps unknown keys, and a value beyond 2^53 only as a limit', () => {
    const flat = parseFlatKeyed('memory.stat', 'anon 4096\nnew_in_7_0 12\nhierarchical_memory_limit 9223372036854771712\n');
    expect(flat).toEqual({ ok: true, value: { values: { anon: 4096, new_in_7_0: 12 }, limits: { hierarchical_memory_limit: null } } });
  });

  it.each([
    ['anon 1\nanon 2\n', 2, '"anon" appears twice'],
    ['anon  1\n', 1, 'expected "key value"'],
    ['anon -1\n', 1, 'expected "key value"'],
    ['file 12\nanon\n', 2, 'expected "key value"'],
    ['anon 99999999999999999\n', 1, 'number out of range'],
  ])('%j is malformed at line %d: %s', (text, line, reason) => {
    const result = parseFlatKeyed('memory.stat', text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ line, reason });
  });
});

describe('cgroup v1 memory.stat', () => {
  it('reads the total_* (hierarchical) figures and the hierarchical limit', () => {
    const stat = parseMemoryStatV1(V1_STAT);
    if (!stat.ok) throw new Error(stat.error.reason);
    expect(stat.value).toMatchObject({
      rss: 1712128, cache: 614400, shmem: 0, mappedFile: 0, dirty: 36864, writeback: 0, swap: 0,
      activeAnon: 12288, inactiveAnon: 1548288, activeFile: 446464, inactiveFile: 167936, unevictable: 0, hierarchicalLimit: null,
    });
  });

  it('a v2 memory.stat is not a v1 one', () => {
    const result = parseMemoryStatV1('anon 4096\nfile 0\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.reason).toBe('no "total_rss" (not a cgroup v1 memory.stat)');
  });
});

describe('cgroup v2 memory.stat', () => {
  it('fields a kernel lacks stay undefined, never 0', () => {
    const text = 'anon 8192\nfile 4096\nkernel_stack 16384\nslab 0\nsock 0\nshmem 0\nfile_mapped 0\nfile_dirty 0\nfile_writeback 0\n'
      + 'inactive_anon 8192\nactive_anon 0\ninactive_file 4096\nactive_file 0\nunevictable 0\n';
    const stat = parseMemoryStatV2(text);
    if (!stat.ok) throw new Error(stat.error.reason);
    expect(stat.value).toMatchObject({ anon: 8192, file: 4096, kernelStack: 16384, sock: 0, shmem: 0 });
    expect(stat.value.kernel).toBeUndefined();
    expect(stat.value.zswap).toBeUndefined();
    expect(stat.value.percpu).toBeUndefined();
  });

  it('a v1 memory.stat is not a v2 one', () => {
    const result = parseMemoryStatV2(V1_STAT);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.reason).toBe('no "anon" (not a cgroup v2 memory.stat)');
  });
});

describe('OOM counters', () => {
  it('v2 memory.events', () => {
    expect(parseMemoryEvents('low 0\nhigh 12\nmax 3\noom 2\noom_kill 1\noom_group_kill 0\n'))
      .toEqual({ ok: true, value: { oomKills: 1, ooms: 2, high: 12, max: 3 } });
  });

  it('v1 memory.oom_control, and before 4.13 (no oom_kill) the kills are unknown', () => {
    expect(parseOomControl('oom_kill_disable 0\nunder_oom 0\noom_kill 3\n'))
      .toEqual({ ok: true, value: { oomKills: 3, killDisabled: false, underOom: false } });
    expect(parseOomControl('oom_kill_disable 1\nunder_oom 1\n'))
      .toEqual({ ok: true, value: { oomKills: undefined, killDisabled: true, underOom: true } });
  });
});

describe('cgroup.procs', () => {
  it('lists PIDs, refuses what is not one', () => {
    expect(parseCgroupProcs('1\n742\n4194304\n')).toEqual({ ok: true, value: [1, 742, 4194304] });
    expect(parseCgroupProcs('').ok).toBe(true);
    for (const bad of ['0\n', '4194305\n', 'x\n', '12 \n']) expect(parseCgroupProcs(bad).ok).toBe(false);
  });
});
