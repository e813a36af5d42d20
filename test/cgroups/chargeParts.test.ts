import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMemoryStatV1 } from '../../src/kernel/cgroupfs/memoryStatV1.js';
import { parseMemoryStatV2 } from '../../src/kernel/cgroupfs/memoryStatV2.js';
import { chargePartsV1, chargePartsV2 } from '../../src/cgroups/core/chargeParts.js';
import type { ChargeParts } from '../../src/cgroups/core/model.js';
import { REPO } from '../helpers/snapshots.js';

function cgroupFile(tree: string, cgroup: string, file: string): string {
  return readFileSync(join(REPO, 'snapshots', tree, 'cgroup', cgroup, file), 'utf8');
}

function partsOf(tree: string, cgroup: string): ChargeParts {
  const stat = parseMemoryStatV2(cgroupFile(tree, cgroup, 'memory.stat'));
  if (!stat.ok) throw new Error(stat.error.reason);
  return chargePartsV2(Number(cgroupFile(tree, cgroup, 'memory.current')), stat.value);
}

const bytesByKey = (charge: ChargeParts) => Object.fromEntries(charge.parts.map((part) => [part.key, part.bytes]));
const sumOf = (charge: ChargeParts) => charge.parts.reduce((sum, part) => sum + part.bytes, 0);

/*
 * Worked by hand from snapshots/cgroup-v2-{5.15,6.6}/cgroup/system.slice/nginx.service (bytes).
 * Both kernels: anon 52428800; file 31457280 = shmem 4194304 + active_file 18874368 + inactive_file 8388608 + 0 off the LRU;
 *   slab 2094176 + 1051704, kernel_stack 524288, pagetables 819200 (+ sec_pagetables 0 on 6.6), percpu 161280, sock 262144.
 * 6.6 (kernel field, 5.18+; zswap 5.19+): named kernel parts = 2094176 + 1051704 + 524288 + 819200 + 161280 + vmalloc 65536
 *   + zswap 1048576 = 5764760; kernel 6815744, so 1050984 kernel bytes in no named counter.
 *   Counted = anon + file + kernel + sock = 52428800 + 31457280 + 6815744 + 262144 = 90963968;
 *   memory.current 91086848, so 122880 (30 pages) charged beyond every counter: the per-CPU charge batches.
 * 5.15 (no kernel, vmalloc, zswap): counted = 52428800 + 31457280 + (2094176 + 1051704 + 524288 + 819200 + 161280 = 4650648)
 *   + 262144 = 88798872; memory.current 89972736: 1173864 uncounted (the kernel's unnamed pages and the batches together).
 * postgres.service, 6.6: named kernel = 1309392 + 524616 + 196608 + 409600 + 80640 + 0 + 0 = 2520856, kernel 3145728: 624872 other;
 *   counted = 20971520 + 104857600 + 3145728 + 0 = 128974848, memory.current 129040384: 65536 uncounted.
 */
describe('a cgroup v2 charge, part by part (captured trees)', () => {
  it('after 5.19: the kernel field splits into its named parts and the rest, and the batches are apart', () => {
    const charge = partsOf('cgroup-v2-6.6', 'system.slice/nginx.service');
    expect(charge.source).toBe('memory.current');
    expect(charge.charge).toBe(91086848);
    expect(bytesByKey(charge)).toEqual({
      anon: 52428800, shmem: 4194304, fileActive: 18874368, fileInactive: 8388608, fileOffLru: 0,
      slabReclaimable: 2094176, slabUnreclaimable: 1051704, kernelStacks: 524288, pageTables: 819200, percpu: 161280,
      vmalloc: 65536, zswap: 1048576, kernelOther: 1050984, sock: 262144, uncounted: 122880,
    });
    expect(sumOf(charge)).toBe(charge.charge);
    expect(charge.unknown).toEqual([]);
    expect(charge.parts.find((part) => part.key === 'fileActive')).toMatchObject({ dirty: 1310720, writeback: 131072 });
    // cAdvisor's working set: memory.current - inactive_file.
    expect(charge.workingSet).toBe(91086848 - 8388608);
  });

  it('before 5.18: no kernel field, so the unnamed kernel pages are in the uncounted part, and it says so', () => {
    const charge = partsOf('cgroup-v2-5.15', 'system.slice/nginx.service');
    expect(charge.charge).toBe(89972736);
    expect(bytesByKey(charge)).toEqual({
      anon: 52428800, shmem: 4194304, fileActive: 18874368, fileInactive: 8388608, fileOffLru: 0,
      slabReclaimable: 2094176, slabUnreclaimable: 1051704, kernelStacks: 524288, pageTables: 819200, percpu: 161280,
      sock: 262144, uncounted: 1173864,
    });
    expect(sumOf(charge)).toBe(charge.charge);
    expect(charge.unknown).toEqual(['kernel memory with no counter of its own (no "kernel" in memory.stat before 5.18): inside the uncounted part']);
    expect(charge.parts.at(-1)!.label).toBe('charged outside every counter: per-CPU charge batches, unnamed kernel pages (memory.current - anon - file - the kernel parts - sock)');
  });

  it('a parent covers its children: system.slice is the two services summed, batches included', () => {
    const nginx = partsOf('cgroup-v2-6.6', 'system.slice/nginx.service');
    const postgres = partsOf('cgroup-v2-6.6', 'system.slice/postgres.service');
    expect(bytesByKey(postgres)).toMatchObject({ kernelOther: 624872, uncounted: 65536, shmem: 67108864 });
    const slice = partsOf('cgroup-v2-6.6', 'system.slice');
    expect(slice.charge).toBe(91086848 + 129040384);
    for (const part of slice.parts) expect(part.bytes).toBe(bytesByKey(nginx)[part.key] + bytesByKey(postgres)[part.key]);
  });

  it('swap cache and hugetlb, which the stats cannot place, are said, not guessed', () => {
    const text = cgroupFile('cgroup-v2-6.6', 'system.slice/nginx.service', 'memory.stat').replace('swapcached 0', 'swapcached 8192') + 'hugetlb 2097152\n';
    const stat = parseMemoryStatV2(text);
    if (!stat.ok) throw new Error(stat.error.reason);
    expect(chargePartsV2(91086848, stat.value).unknown).toEqual([
      'how much of the 8192 bytes of swap cache is still mapped: those pages are in anon and in the page cache both, so the parts may exceed the charge by up to that much',
      'whether the 2097152 bytes of hugetlb are charged (only with the memory_hugetlb_accounting mount option): if so, inside the uncounted part',
    ]);
  });

  it('stats that lag the counter never make a negative part', () => {
    const stat = parseMemoryStatV2(cgroupFile('cgroup-v2-6.6', 'system.slice/nginx.service', 'memory.stat'));
    if (!stat.ok) throw new Error(stat.error.reason);
    const charge = chargePartsV2(90963968 - 4096, stat.value);
    expect(bytesByKey(charge).uncounted).toBe(0);
    expect(sumOf(charge) - charge.charge).toBe(4096);
  });
});

describe('a cgroup v1 charge, part by part', () => {
  /** memory.stat of a child cgroup on this machine (6.18), and its memory.kmem.usage_in_bytes and usage_in_bytes read beside it. */
  const STAT = ['cache 614400', 'rss 1712128', 'shmem 0', 'mapped_file 0', 'dirty 36864', 'writeback 0', 'swap 0',
    'inactive_anon 1548288', 'active_anon 12288', 'inactive_file 167936', 'active_file 446464', 'unevictable 0',
    'hierarchical_memory_limit 9223372036854771712', 'total_cache 614400', 'total_rss 1712128', 'total_shmem 0',
    'total_mapped_file 0', 'total_dirty 36864', 'total_writeback 0', 'total_swap 0', 'total_inactive_anon 1548288',
    'total_active_anon 12288', 'total_inactive_file 167936', 'total_active_file 446464', 'total_unevictable 0', ''].join('\n');

  it('the charge is total_rss + total_cache + kmem, the fuzzy counter kept beside', () => {
    const stat = parseMemoryStatV1(STAT);
    if (!stat.ok) throw new Error(stat.error.reason);
    // 1712128 + 614400 + 1036288 = 3362816; usage_in_bytes said 3510272 (36 pages charged ahead by the CPUs).
    const charge = chargePartsV1(stat.value, 1036288, 3510272);
    expect(charge).toMatchObject({ charge: 3362816, source: 'memory.stat+kmem', counter: 3510272, unknown: [] });
    expect(bytesByKey(charge)).toEqual({ anon: 1712128, shmem: 0, fileActive: 446464, fileInactive: 167936, fileOffLru: 0, kernel: 1036288 });
    // cAdvisor on v1: usage_in_bytes - total_inactive_file.
    expect(charge.workingSet).toBe(3510272 - 167936);
  });

  it('without memory.kmem.usage_in_bytes the kernel part is unknown, said so', () => {
    const stat = parseMemoryStatV1(STAT);
    if (!stat.ok) throw new Error(stat.error.reason);
    const charge = chargePartsV1(stat.value, undefined, undefined);
    expect(charge).toMatchObject({ charge: 2326528, source: 'memory.stat', unknown: ['kernel memory (no memory.kmem.usage_in_bytes)'] });
    expect(charge.counter).toBeUndefined();
  });
});
