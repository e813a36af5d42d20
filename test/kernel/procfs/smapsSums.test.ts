/**
 * SmapsSumsParser (files' parser) against the general one (smaps.ts) on real
 * captured smaps: the snapshots' processes, and a Python process holding the
 * hostile names (test/fixtures/smapsSums/captureHostile.py made them: a memfd,
 * a SysV segment, shared anonymous memory, a deleted file named with a newline
 * and " (deleted)", a file named "[heap]", one named "kept (deleted)").
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseSmaps } from '../../../src/kernel/procfs/smaps.js';
import { parseSmapsSums, SmapsSumsParser, sumsOfMapping, type MappingSums } from '../../../src/kernel/procfs/smapsSums.js';
import { sumFileUsage } from '../../../src/holders/fileUsage.js';
import { snapshotText, KIB, type SnapshotName } from '../../helpers/snapshots.js';

const FIXTURES = new URL('../../fixtures/smapsSums/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');

const SNAPSHOT_SMAPS: [SnapshotName, number][] = [
  ['node-many-mappings', 11163], ['node-many-mappings', 11165], ['deleted-exe', 11192], ['deleted-exe', 11201],
  ['kernel-thread', 11230], ['kernel-thread', 2], ['no-smaps-rollup', 11273], ['no-smaps-rollup', 11275],
  ['hostile-names', 11300], ['hostile-names', 11302], ['hostile-names', 11307],
];

const TEXTS: [string, string][] = [
  ...SNAPSHOT_SMAPS.map(([snapshot, pid]): [string, string] => [`${snapshot}/${pid}`, snapshotText(snapshot, `${pid}/smaps`)]),
  ['fixtures/smapsSums/hostile.smaps', fixture('hostile.smaps')],
];

function sumsOf(text: string): MappingSums[] {
  const result = parseSmapsSums(text);
  if (!result.ok) throw new Error(`${result.error.reason} at line ${result.error.line}`);
  return result.value;
}

function generalOf(text: string): MappingSums[] {
  const result = parseSmaps(text);
  if (!result.ok) throw new Error(`${result.error.reason} at line ${result.error.line}`);
  return result.value.map(sumsOfMapping);
}

describe('SmapsSumsParser on captured smaps', () => {
  it.each(TEXTS)('%s: every mapping as the general parser reads it', (_name, text) => {
    expect(sumsOf(text)).toEqual(generalOf(text));
  });

  it.each(TEXTS)('%s: the same in pieces of a few lines each (as readLines hands them over)', (_name, text) => {
    const lines = text.split(/(?<=\n)/);
    const mappings: MappingSums[] = [];
    const parser = new SmapsSumsParser((mapping) => mappings.push(mapping));
    for (let i = 0; i < lines.length; i += 7) parser.push(lines.slice(i, i + 7).join(''));
    const finished = parser.finish();
    expect(finished).toEqual({ ok: true, value: mappings.length });
    expect(mappings).toEqual(generalOf(text));
  });

  it("hostile names: the files' rows equal the general parser's, and the kernel's own figures", () => {
    const text = fixture('hostile.smaps');
    const rows = sumFileUsage([{ owner: { pid: 1, program: 'python3' }, mappings: sumsOf(text) }]).rows;
    expect(rows).toEqual(sumFileUsage([{ owner: { pid: 1, program: 'python3' }, mappings: generalOf(text) }]).rows);
    // awk '/^[0-9a-f]+-[0-9a-f]+ /{n++} /^Private_Dirty:/{pd+=$2} /^Pss:/{pss+=$2} /^Rss:/{rss+=$2} END{print n, pd, pss, rss}'
    const all = sumsOf(text);
    expect([all.length, all.reduce((t, m) => t + m.privateDirty, 0), all.reduce((t, m) => t + m.pss, 0), all.reduce((t, m) => t + m.rss, 0)])
      .toEqual([126, 7452 * KIB, 12666 * KIB, 14276 * KIB]);
    const row = (path: string) => rows.find((r) => r.path === path);
    expect(row('/memfd:cache name')).toMatchObject({ kind: 'shared-memory', deleted: false, rss: 64 * KIB, processes: 1 });
    expect(row('/SYSV00000000')).toMatchObject({ kind: 'shared-memory', deleted: false, rss: 32 * KIB });
    expect(row('[shared anonymous]')).toMatchObject({ kind: 'shared-memory', rss: 16 * KIB, writable: 16 * KIB });
    // The kernel escapes the newline; the name's own " (deleted)" stays a part of it.
    expect(row('/dev/shm/ff new\\012line (deleted)')).toMatchObject({ deleted: true, writable: 4 * KIB });
    expect(row('/dev/shm/[heap]')).toMatchObject({ kind: 'shared-memory', deleted: true });
    // A live file named "kept (deleted)" prints as an unlinked "kept" would: both parsers read it so.
    expect(row('/dev/shm/kept')).toMatchObject({ deleted: true, rss: 8 * KIB });
    expect(row('[heap]')).toMatchObject({ kind: 'heap' });
  });

  it('a carriage return in a path (the kernel escapes only newlines) is read as part of the name', () => {
    // The kernel escapes only newlines; the general parser reads it too (smaps.test.ts).
    const mappings = sumsOf(fixture('carriage.smaps'));
    const carriage = mappings.filter((m) => m.backing.kind === 'path' && m.backing.path === '/dev/shm/carriage\rreturn');
    expect(carriage).toHaveLength(1);
    expect(carriage[0]).toMatchObject({ backing: { deleted: true }, rss: 4 * KIB, privateDirty: 4 * KIB, permissions: { text: 'rw-s' } });
    expect(mappings).toHaveLength(128);
  });
});

describe('SmapsSumsParser on broken text', () => {
  const HEADER = '00400000-0041f000 r--p 00000000 fe:00 260811 /usr/bin/python3.11\n';
  const cases: [string, string, number, string][] = [
    ['a counter before any header', 'Rss: 4 kB\n', 1, 'counter before any mapping header'],
    ['bad permissions', '00400000-0041f000 rwxq 00000000 fe:00 1 /x\n', 1, 'malformed mapping header'],
    ['a header missing its inode', '00400000-0041f000 r--p 00000000 fe:00\n', 1, 'malformed mapping header'],
    ['a line that is no counter', `${HEADER}rss: 4 kB\n`, 2, 'expected "Key: value"'],
    ['a kept counter that is not a number', `${HEADER}Private_Dirty: lots kB\n`, 2, 'value of Private_Dirty is not a number'],
    ['a kept counter past 8 PiB', `${HEADER}Pss: 9999999999999999 kB\n`, 2, 'value of Pss is past 8796093022207 kB, more than any machine holds'],
  ];
  it.each(cases)('%s: a ParseError at its line', (_what, text, line, reason) => {
    const result = parseSmapsSums(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ file: 'smaps', line, reason });
  });

  it('odd but valid values are read as the general parser reads them; a repeated counter keeps the last', () => {
    const text = `${HEADER}Rss:  12 kB  \nPss:7\nSwap: 3 kB\nSwap: 5 kB\n\nSwapPss: 1 kB\n`;
    expect(sumsOf(text)).toEqual([{ ...generalOf(text)[0] }]);
    expect(sumsOf(text)[0]).toMatchObject({ rss: 12 * KIB, pss: 7, swap: 5 * KIB, swapPss: KIB });
  });

  it("a counter not kept is not read: its value is not checked, nor a key that only starts like a kept one", () => {
    expect(parseSmapsSums(`${HEADER}Referenced: anything\nRss: 4 kB\nRss_Extra: 9 kB\nPrivate_Dirtyish: 9 kB\nSwapped: 9 kB\n`))
      .toMatchObject({ ok: true, value: [{ rss: 4 * KIB, privateDirty: 0, swap: 0 }] });
  });

  it('an empty smaps (a kernel thread) is no mappings', () => {
    expect(parseSmapsSums('')).toEqual({ ok: true, value: [] });
  });
});
