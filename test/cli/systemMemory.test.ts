import { describe, expect, it } from '@jest/globals';
import { procRoot, runCli, runJson } from '../helpers/snapshots.js';

// The parts of this pair are worked by hand in test/reduce/systemMemory.test.ts.
const POOLS = procRoot('system-memory/pools');

describe('the System block under the table (snapshots/system-memory/pools)', () => {
  it('used, part by part, largest first; parts under 2% of used share the last line', () => {
    const result = runCli(['--proc-root', POOLS, '--units', 'KiB', '--system']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    const system = lines.findIndex((line) => line.startsWith('System: '));
    expect(lines.slice(system)).toEqual([
      'System: 1373612 KiB used of 24683584 KiB (MemTotal - MemAvailable), part by part:',
      '  915728 KiB  anonymous memory: 0 KiB in the processes measured, 915728 KiB in processes not measured',
      '  127212 KiB  kernel reserve: zone watermarks and lowmem protection',
      '   84600 KiB  page cache MemAvailable holds back',
      '   48640 KiB  reclaimable kernel memory MemAvailable holds back',
      '   43896 KiB  kernel slab, unreclaimable',
      '   36832 KiB  free pages in per-CPU lists, not in MemFree',
      '   32768 KiB  huge page pool',
      '   28000 KiB  page tables',
      '   13356 KiB  shared memory and tmpfs: 0 KiB mapped by the processes measured, 13356 KiB not (files, or processes not measured)',
      '   42580 KiB  in 5 smaller parts: allocated by the kernel outside every counter 14624 KiB, vmalloc besides kernel stacks 12824 KiB, '
        + 'file pages off the LRU 8208 KiB, kernel stacks 6180 KiB, per-CPU allocations 744 KiB',
      '',
    ]);
  });

  it('by default a summary of two lines: used, the processes\' share, the three largest parts in no process', () => {
    const lines = runCli(['--proc-root', POOLS, '--units', 'KiB']).stdout.split('\n');
    const system = lines.findIndex((line) => line.startsWith('System: '));
    // The parts of the block above, anonymous memory (the processes' own) left out: 127212, 84600, 48640 KiB.
    expect(lines.slice(system)).toEqual([
      'System: 1373612 KiB used of 24683584 KiB, 0 KiB (0%) in the processes measured.',
      '  In no process: kernel reserve 127212 KiB, cache held back 84600 KiB, reclaimable held back 48640 KiB; --system itemises.',
      '',
    ]);
  });

  it('--system and the summary come from the same JSON: --json is the same with either', () => {
    const plain = runJson(['--proc-root', POOLS]);
    const asked = runJson(['--proc-root', POOLS, '--system']);
    expect(asked.system).toEqual(plain.system);
  });

  it('--json: system.parts with stable keys, adding up to used; no parts unknown', () => {
    const { system } = runJson(['--proc-root', POOLS]);
    expect(system.parts.map((part: { key: string }) => part.key)).toEqual([
      'anon', 'shmem', 'unevictableCache', 'slabUnreclaimable', 'kernelStacks', 'pageTables', 'percpu', 'vmalloc', 'hugetlb',
      'kernelReserve', 'cacheHeldBack', 'reclaimableHeldBack', 'perCpuLists', 'uncounted',
    ]);
    expect(system.parts.reduce((sum: number, part: { bytes: number }) => sum + part.bytes, 0)).toBe(system.used);
    expect(system.partsUnknown).toBeUndefined();
    expect(system.parts[0]).toEqual({ key: 'anon', label: 'anonymous memory (AnonPages)', bytes: 915728 * 1024, measured: 0 });
  });

  it('a tree captured without zoneinfo says what it cannot itemise', () => {
    const lines = runCli(['--proc-root', procRoot('kernel-thread'), '--units', 'KiB', '--system']).stdout.trimEnd().split('\n');
    // used 24683620 - 24166456 = 517164 kB; the parts its meminfo itemises (anon ... uncounted, by awk as in
    // test/reduce/systemMemory.test.ts) sum to 225624 kB: 291540 kB are not itemised.
    expect(lines.at(-1)).toBe('  291540 KiB  not itemised: the kernel reserve and the cache MemAvailable holds back (no zoneinfo read)');
  });
});
