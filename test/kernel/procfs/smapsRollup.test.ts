import { describe, expect, it } from '@jest/globals';
import { addCounters, emptyCounters } from '../../../src/kernel/procfs/memoryCounters.js';
import { parseSmaps } from '../../../src/kernel/procfs/smaps.js';
import { parseSmapsRollup } from '../../../src/kernel/procfs/smapsRollup.js';
import { snapshotText, KIB, type SnapshotName } from '../../helpers/snapshots.js';

function rollupOf(snapshot: SnapshotName, pid: number) {
  const result = parseSmapsRollup(snapshotText(snapshot, `${pid}/smaps_rollup`));
  if (!result.ok) throw new Error(`${snapshot}/${pid}/smaps_rollup: ${result.error.reason}`);
  return result.value;
}

/*
 * Expected figures in kB, read off each file with
 *   awk '/^(Rss|Pss|Private_Dirty|Private_Clean|Shared_Clean|Shared_Dirty|Anonymous|Swap|SwapPss|Pss_Shmem):/{print $1, $2}' \
 *     snapshots/SNAPSHOT/proc/PID/smaps_rollup
 */
const ROLLUPS: [SnapshotName, number, { rss: number; pss: number; pc: number; pd: number; sc: number; sd: number; anon: number; pssShmem: number }][] = [
  ['node-many-mappings', 11163, { rss: 40336, pss: 17080, pc: 0, pd: 6328, sc: 34008, sd: 0, anon: 6328, pssShmem: 0 }],
  ['node-many-mappings', 11165, { rss: 10172, pss: 8274, pc: 3924, pd: 4056, sc: 2192, sd: 0, anon: 3800, pssShmem: 256 }],
  ['deleted-exe', 11192, { rss: 1816, pss: 336, pc: 48, pd: 108, sc: 1660, sd: 0, anon: 108, pssShmem: 0 }],
  ['deleted-exe', 11201, { rss: 9124, pss: 7265, pc: 3400, pd: 3544, sc: 2180, sd: 0, anon: 3544, pssShmem: 0 }],
  ['kernel-thread', 11230, { rss: 1792, pss: 292, pc: 36, pd: 108, sc: 1648, sd: 0, anon: 108, pssShmem: 0 }],
  ['hostile-names', 11300, { rss: 9516, pss: 5713, pc: 4, pd: 3668, sc: 5844, sd: 0, anon: 3668, pssShmem: 0 }],
  ['hostile-names', 11302, { rss: 9540, pss: 5701, pc: 8, pd: 3644, sc: 5888, sd: 0, anon: 3644, pssShmem: 0 }],
  ['hostile-names', 11307, { rss: 1808, pss: 269, pc: 36, pd: 108, sc: 1664, sd: 0, anon: 108, pssShmem: 0 }],
];

describe('parseSmapsRollup over captured smaps_rollup', () => {
  it.each(ROLLUPS)('%s PID %i', (snapshot, pid, e) => {
    const c = rollupOf(snapshot, pid);
    expect([c.rss, c.pss, c.privateClean, c.privateDirty, c.sharedClean, c.sharedDirty, c.anonymous])
      .toEqual([e.rss, e.pss, e.pc, e.pd, e.sc, e.sd, e.anon].map((kb) => kb * KIB));
    expect(c.swap).toBe(0);
    expect(c.swapPss).toBe(0);
    expect(c.pssShmem).toBe(e.pssShmem * KIB);
    expect(c.privateHugetlb).toBe(0);
  });

  it('takes Pss from the `Pss:` line only: Pss_Anon + Pss_File + Pss_Shmem are its parts', () => {
    // snapshots/node-many-mappings/proc/11165/smaps_rollup: Pss 8274 = Pss_Anon 3800 + Pss_File 4218 + Pss_Shmem 256.
    const c = rollupOf('node-many-mappings', 11165);
    expect(c.pss).toBe(8274 * KIB);
    expect(c.pssAnon! + c.other.Pss_File + c.pssShmem!).toBe(c.pss);
    expect(c.pssAnon).toBe(3800 * KIB);
    // Pss_Dirty (Linux 6.0+), a part of Pss too: its own counter.
    expect(c.pssDirty).toBe(4056 * KIB);
    expect(c.other).not.toHaveProperty('Pss_Dirty');
  });

  it('empty text is malformed, not zeros (a kernel thread or an exited process fails the read with ESRCH instead)', () => {
    expect(parseSmapsRollup('')).toEqual({ ok: false, error: { file: 'smaps_rollup', line: 1, text: '', reason: 'no Rss line' } });
    const header = '55cb78914000-7ffd9db2b000 ---p 00000000 00:00 0                          [rollup]\n';
    expect(parseSmapsRollup(header)).toEqual({ ok: false, error: { file: 'smaps_rollup', line: 2, text: '', reason: 'no Rss line' } });
  });

  it.each(['Pss', 'Private_Dirty', 'Private_Clean', 'Shared_Clean', 'Rss', 'Swap'])('a rollup without its %s line is malformed', (key) => {
    const text = snapshotText('kernel-thread', '11230/smaps_rollup');
    const without = text.split('\n').filter((line) => !line.startsWith(`${key}:`)).join('\n');
    expect(without.length).toBeLessThan(text.length);
    const result = parseSmapsRollup(without);
    expect(result.ok ? undefined : result.error.reason).toBe(`no ${key} line`);
  });

  /*
   * 2^53 - 1 bytes is the largest integer JSON readers hold exactly: 8796093022207 kB
   * (floor((2^53 - 1) / 1024)) is the last kB count that is exact in bytes.
   */
  it.each([
    ['2^64 kB', 'Pss:            18446744073709551616 kB', 'value of Pss is past 8796093022207 kB, more than any machine holds'],
    ['2^64 - 1 kB, which a 64-bit counter can hold', 'Pss:            18446744073709551615 kB', 'value of Pss is past 8796093022207 kB, more than any machine holds'],
    ['one kB past the exact range', 'Pss:            8796093022208 kB', 'value of Pss is past 8796093022207 kB, more than any machine holds'],
    ['12x34', 'Pss:            12x34 kB', 'value of Pss is not a number'],
    ['a negative count', 'Pss:            -99999 kB', 'value of Pss is not a number'],
    // A reason is printed: a key that is not a plain name (here an escape sequence) is not repeated in it.
    ['a crafted key', '\x1b[2JPss:    12x34 kB', 'value of a line is not a number'],
  ])('%s is malformed, never a rounded figure', (_what, line, reason) => {
    const lines = snapshotText('kernel-thread', '11230/smaps_rollup').split('\n');
    const at = lines.findIndex((l) => l.startsWith('Pss:'));
    lines[at] = line;
    expect(parseSmapsRollup(lines.join('\n'))).toEqual({ ok: false, error: { file: 'smaps_rollup', line: at + 1, text: line, reason } });
  });

  it('8796093022207 kB, the largest exact count, is kept exactly', () => {
    const lines = snapshotText('kernel-thread', '11230/smaps_rollup').split('\n');
    const at = lines.findIndex((l) => l.startsWith('Pss:'));
    lines[at] = 'Pss:            8796093022207 kB';
    const result = parseSmapsRollup(lines.join('\n'));
    expect(result.ok && result.value.pss).toBe(Number.MAX_SAFE_INTEGER - 1023);
    expect(Number.isSafeInteger(Number.MAX_SAFE_INTEGER - 1023)).toBe(true);
  });

  it('a malformed line is a typed error with its line number', () => {
    const lines = snapshotText('kernel-thread', '11230/smaps_rollup').split('\n');
    lines[2] = 'Pss:                 2 92 kB'; // line 3
    expect(parseSmapsRollup(lines.join('\n'))).toEqual({
      ok: false, error: { file: 'smaps_rollup', line: 3, text: 'Pss:                 2 92 kB', reason: 'value of Pss is not a number' },
    });
  });

  it('a [rollup] header anywhere but line 1 is an error, not a counter', () => {
    const lines = snapshotText('kernel-thread', '11230/smaps_rollup').split('\n');
    const result = parseSmapsRollup([lines[1], lines[0], ...lines.slice(2)].join('\n'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.line).toBe(2);
  });
});

/*
 * smaps and smaps_rollup of one capture (the processes were idle, and both files
 * were read within milliseconds) describe the same pages. Every page-count field
 * (Rss, Private_*, Shared_*, Anonymous, Swap) is a whole number of pages in
 * both, so the sums must be equal. Pss differs: the kernel keeps it in units of
 * 2^-12 bytes (PSS_SHIFT) and smaps prints each mapping's Pss rounded down to
 * whole kB, while smaps_rollup sums at full precision and rounds once
 * (Documentation/filesystems/proc.rst: smaps_rollup is "more precise" for Pss).
 * So 0 <= rollup Pss - summed Pss < 1 kB per mapping.
 */
describe('summing smaps matches smaps_rollup for the same capture', () => {
  it.each(ROLLUPS.map(([snapshot, pid]) => [snapshot, pid] as const))('%s PID %i', (snapshot, pid) => {
    const parsed = parseSmaps(snapshotText(snapshot, `${pid}/smaps`));
    if (!parsed.ok) throw new Error(parsed.error.reason);
    const summed = emptyCounters();
    for (const m of parsed.value) addCounters(summed, m.counters);
    const rollup = rollupOf(snapshot, pid);
    for (const field of ['rss', 'privateClean', 'privateDirty', 'sharedClean', 'sharedDirty', 'anonymous', 'swap', 'privateHugetlb'] as const) {
      expect([field, summed[field]]).toEqual([field, rollup[field]]);
    }
    const pssLoss = rollup.pss - summed.pss;
    expect(pssLoss).toBeGreaterThanOrEqual(0);
    expect(pssLoss).toBeLessThan(parsed.value.length * KIB);
    // Pss_Dirty (Linux 6.0+) is summed too (the scan's fallback where smaps_rollup is missing), with at most Pss's rounding gap.
    if (rollup.pssDirty !== undefined) {
      const dirtyLoss = rollup.pssDirty - (summed.pssDirty ?? 0);
      expect(dirtyLoss).toBeGreaterThanOrEqual(0);
      expect(dirtyLoss).toBeLessThan(parsed.value.length * KIB);
    }
  });

  it('the Pss rounding gap is what the hand sums say (node PID 11163: 17080 - 17067 kB over 92 mappings)', () => {
    const parsed = parseSmaps(snapshotText('node-many-mappings', '11163/smaps'));
    if (!parsed.ok) throw new Error(parsed.error.reason);
    const summed = parsed.value.reduce((total, m) => total + m.counters.pss, 0);
    expect(rollupOf('node-many-mappings', 11163).pss - summed).toBe(13 * KIB);
  });
});
