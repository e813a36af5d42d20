import { describe, expect, it } from '@jest/globals';
import { KIB, procRoot, runCli, runJson } from '../helpers/snapshots.js';

const NODE_TREE = procRoot('node-many-mappings');
const cells = (line: string) => line.trim().split(/\s{2,}/);

/*
 * Figures are the awk rows of snapshots/node-many-mappings/proc/11165/smaps
 * (see test/reduce/processBreakdown.test.ts for the awk program), in kB.
 */
describe('show PID --proc-root: the article\'s table', () => {
  const result = runCli(['show', '11165', '--proc-root', NODE_TREE, '--units', 'KiB']);
  const lines = result.stdout.split('\n');

  it('exits 0 with the process named and nothing on stderr', () => {
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(lines[0]).toBe('PID 11165: python3.11 shm_kinds.py');
  });

  it('as the article draws it: a section each for mapped and anonymous memory, Shared/Private over Clean/Dirty, rows by permission', () => {
    expect(lines[1]).toBe('Mapped memory (KiB):');
    expect(cells(lines[2])).toEqual(['Shared', 'Private']);
    expect(cells(lines[3])).toEqual(['Clean', 'Dirty', 'Clean', 'Dirty']);
    const section = lines.indexOf('Anonymous memory (KiB):');
    expect(lines.slice(section + 1, section + 3)).toEqual(lines.slice(2, 4));
    const row = (prefix: string) => cells(lines.find((line) => line.startsWith(prefix))!);
    expect(row('   r-xp')).toEqual(['r-xp', '1608', '0', '2520', '0', 'Code']);
    expect(row('   rw-p')).toEqual(['rw-p', '0', '0', '92', '1236', 'Data']);
    expect(row('   rw-s')).toEqual(['rw-s', '0', '0', '0', '256', 'Shared memory, memfd']);
    const totals = lines.filter((line) => /^\s*total /.test(line)).map(cells);
    expect(totals).toEqual([
      ['total', '2188', '0', '3924', '1292'],
      ['total', '4', '0', '0', '2764'],
      ['total', '2192', '0', '3924', '4056', '<- writable memory'],
    ]);
    // 4056 KiB = 3.96 MiB
    expect(lines).toContain('Writable memory (Private Dirty): 4.0 MiB');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('by default each figure in its own unit (ps_mem\'s habit), zero as 0, in at most 80 columns', () => {
    const auto = runCli(['show', '11165', '--proc-root', NODE_TREE]).stdout.split('\n');
    expect(auto[1]).toBe('Mapped memory:');
    const row = (prefix: string) => cells(auto.find((line) => line.startsWith(prefix))!);
    // 1608 KiB, 2520 KiB; 552 KiB and 1312 KiB; 844 KiB beside 1604 KiB.
    expect(row('   r-xp')).toEqual(['r-xp', '1.6 MiB', '0', '2.5 MiB', '0', 'Code']);
    expect(row('   r--p')).toEqual(['r--p', '552.0 KiB', '0', '1.3 MiB', '56.0 KiB', 'Read-only data']);
    expect(auto.filter((line) => /^\s*total /.test(line)).map(cells).at(-1)).toEqual(['total', '2.1 MiB', '0', '3.8 MiB', '4.0 MiB', '<- writable memory']);
    expect(Math.max(...auto.map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('--json gives the same figures, in bytes', () => {
    const show = runJson(['show', '11165', '--proc-root', NODE_TREE]);
    expect(show.schema).toBe('footprint.show/1');
    expect([show.pid, show.name]).toEqual([11165, 'python3.11 shm_kinds.py']);
    expect(show.total).toEqual({ sharedClean: 2192 * KIB, sharedDirty: 0, privateClean: 3924 * KIB, privateDirty: 4056 * KIB });
    expect(show.writable).toBe(4056 * KIB);
    expect(show.mapped.total.privateDirty).toBe(1292 * KIB);
    expect(show.anonymous.rows.find((r: { region: string }) => r.region === 'shared-memory')).toMatchObject({ permissions: 'rw-s', mappings: 4, privateDirty: 256 * KIB });
  });
});

describe('show PID --mappings', () => {
  it('text: one row per backing, by private dirty', () => {
    const result = runCli(['show', '11201', '--proc-root', procRoot('deleted-exe'), '--mappings', '--units', 'KiB']);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('PID 11201: python3.11 map_spaces.py');
    expect(cells(lines[1])).toEqual(['Shared', 'Shared', 'Private', 'Private']);
    expect(cells(lines[2])).toEqual(['Clean (KiB)', 'Dirty (KiB)', 'Clean (KiB)', 'Dirty (KiB)', 'Maps', 'Backing']);
    // awk per path column of snapshots/deleted-exe/proc/11201/smaps: Private_Dirty 1492, 1180, 736 kB.
    expect(cells(lines[3])).toEqual(['0', '0', '0', '1492', '5', '[anonymous]']);
    expect(cells(lines[4])).toEqual(['0', '0', '3160', '1180', '5', '/usr/bin/python3.11']);
    expect(cells(lines[5])).toEqual(['0', '0', '0', '736', '1', '[heap]']);
    // Each figure in its own unit unless --units forces one: 3160 KiB beside 736 KiB.
    const auto = runCli(['show', '11201', '--proc-root', procRoot('deleted-exe'), '--mappings']).stdout.split('\n');
    expect(cells(auto[4])).toEqual(['0 B', '0 B', '3.1 MiB', '1.2 MiB', '5', '/usr/bin/python3.11']);
    expect(cells(auto[5])).toEqual(['0 B', '0 B', '0 B', '736.0 KiB', '1', '[heap]']);
    expect(lines.some((line) => line.endsWith('  /tmp/fp-snap/gone data.bin (deleted)'))).toBe(true);
    expect(lines.some((line) => line.endsWith('  /tmp/fp-snap/mapped data.bin'))).toBe(true);
  });

  it('--json', () => {
    const usage = runJson(['show', '11165', '--proc-root', NODE_TREE, '--mappings']);
    expect(usage.schema).toBe('footprint.mappings/1');
    const byName = Object.fromEntries(usage.mappings.map((m: { name: string }) => [m.name, m]));
    for (const name of ['/dev/zero (deleted)', '/memfd:fp-memfd (deleted)', '/SYSV00000000 (deleted)', '/dev/shm/fp-shm']) {
      expect(byName[name]).toMatchObject({ region: 'shared-memory', mappings: 1, privateDirty: 64 * KIB, rss: 64 * KIB });
    }
    const total = usage.mappings.reduce((sum: number, m: { privateDirty: number }) => sum + m.privateDirty, 0);
    expect(total).toBe(4056 * KIB);
  });
});

describe('show: what cannot be shown', () => {
  it.each([
    ['a kernel thread (offline)', ['show', '2', '--proc-root', procRoot('kernel-thread')], 'footprint: cannot show PID 2: a kernel thread has no user memory\n'],
    ['a kernel thread (live)', ['show', '2'], 'footprint: cannot show PID 2: a kernel thread has no user memory\n'],
    ['a PID not in the tree', ['show', '1', '--proc-root', NODE_TREE], 'footprint: cannot show PID 1: no such process\n'],
    ['a PID that does not exist', ['show', '4194304'], 'footprint: cannot show PID 4194304: no such process\n'],
  ])('%s: exit 1, one line', (_what, args, stderr) => {
    expect(runCli(args)).toEqual({ status: 1, stdout: '', stderr });
  });

  it('PID 1 live: not permitted (ptrace rules deny it even to root on these machines)', () => {
    const result = runCli(['show', '1']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^footprint: cannot show PID 1: not permitted[^\n]*\n$/);
  });
});
