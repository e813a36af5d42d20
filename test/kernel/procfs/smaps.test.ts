import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseSmaps, SmapsParser, type SmapsMapping } from '../../../src/kernel/procfs/smaps.js';
import { snapshotText, KIB, type SnapshotName } from '../../helpers/snapshots.js';

function mappingsOf(snapshot: SnapshotName, pid: number): SmapsMapping[] {
  const result = parseSmaps(snapshotText(snapshot, `${pid}/smaps`));
  if (!result.ok) throw new Error(`${snapshot}/${pid}/smaps: ${result.error.reason} at line ${result.error.line}`);
  return result.value;
}

function sum(mappings: SmapsMapping[], field: 'privateDirty' | 'privateClean' | 'pss' | 'rss' | 'sharedClean' | 'sharedDirty'): number {
  return mappings.reduce((total, m) => total + m.counters[field], 0);
}

/*
 * Expected figures, in kB, computed apart from footprint with awk over each file:
 *   awk '/^[0-9a-f]+-[0-9a-f]+ /{n++} /^Private_Dirty:/{pd+=$2} /^Private_Clean:/{pc+=$2}
 *        /^Pss:/{pss+=$2} /^Rss:/{rss+=$2} /^Shared_Clean:/{sc+=$2} /^Shared_Dirty:/{sd+=$2}
 *        END{print n, pd, pc, pss, rss, sc, sd}' snapshots/SNAPSHOT/proc/PID/smaps
 * (`/^Pss:/` matches only the Pss line, not Pss_Dirty and friends.)
 */
const SMAPS_SUMS: [SnapshotName, number, { maps: number; pd: number; pc: number; pss: number; rss: number; sc: number; sd: number }][] = [
  ['node-many-mappings', 11163, { maps: 92, pd: 6328, pc: 0, pss: 17067, rss: 40336, sc: 34008, sd: 0 }],
  ['node-many-mappings', 11165, { maps: 62, pd: 4056, pc: 3924, pss: 8269, rss: 10172, sc: 2192, sd: 0 }],
  ['deleted-exe', 11192, { maps: 37, pd: 108, pc: 48, pss: 327, rss: 1816, sc: 1660, sd: 0 }],
  ['deleted-exe', 11201, { maps: 50, pd: 3544, pc: 3400, pss: 7260, rss: 9124, sc: 2180, sd: 0 }],
  ['kernel-thread', 11230, { maps: 37, pd: 108, pc: 36, pss: 282, rss: 1792, sc: 1648, sd: 0 }],
  ['kernel-thread', 2, { maps: 0, pd: 0, pc: 0, pss: 0, rss: 0, sc: 0, sd: 0 }],
  ['no-smaps-rollup', 11273, { maps: 37, pd: 112, pc: 48, pss: 288, rss: 1796, sc: 1636, sd: 0 }],
  ['no-smaps-rollup', 11275, { maps: 92, pd: 6328, pc: 0, pss: 12793, rss: 40324, sc: 33996, sd: 0 }],
  ['hostile-names', 11300, { maps: 53, pd: 3668, pc: 4, pss: 5707, rss: 9516, sc: 5844, sd: 0 }],
  ['hostile-names', 11302, { maps: 53, pd: 3644, pc: 8, pss: 5695, rss: 9540, sc: 5888, sd: 0 }],
  ['hostile-names', 11307, { maps: 37, pd: 108, pc: 36, pss: 258, rss: 1808, sc: 1664, sd: 0 }],
];

describe('parseSmaps over captured smaps', () => {
  it.each(SMAPS_SUMS)('%s PID %i: mapping count and summed counters', (snapshot, pid, expected) => {
    const mappings = mappingsOf(snapshot, pid);
    expect(mappings).toHaveLength(expected.maps);
    expect(sum(mappings, 'privateDirty')).toBe(expected.pd * KIB);
    expect(sum(mappings, 'privateClean')).toBe(expected.pc * KIB);
    expect(sum(mappings, 'pss')).toBe(expected.pss * KIB);
    expect(sum(mappings, 'rss')).toBe(expected.rss * KIB);
    expect(sum(mappings, 'sharedClean')).toBe(expected.sc * KIB);
    expect(sum(mappings, 'sharedDirty')).toBe(expected.sd * KIB);
  });

  it("a kernel thread's smaps is empty text: zero mappings, not an error", () => {
    expect(snapshotText('kernel-thread', '2/smaps')).toBe('');
    expect(parseSmaps('')).toEqual({ ok: true, value: [] });
  });

  it('reads the first mapping of the node snapshot field by field', () => {
    // Line 1 of snapshots/node-many-mappings/proc/11163/smaps, and its Size: line.
    const [first] = mappingsOf('node-many-mappings', 11163);
    const text = snapshotText('node-many-mappings', '11163/smaps').split('\n');
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+) ([0-9a-f]+) (\S+) (\d+) +(.*)$/.exec(text[0])!;
    const size = Number(/^Size:\s+(\d+) kB$/.exec(text[1])![1]);
    expect(first.start).toBe(header[1]);
    expect(first.end).toBe(header[2]);
    expect(first.permissions.text).toBe(header[3]);
    expect(first.inode).toBe(Number(header[6]));
    expect(first.backing).toEqual({ kind: 'path', path: '/usr/bin/node', deleted: false });
    // Size is the span of the addresses.
    expect(first.size).toBe(size * KIB);
    expect(first.size).toBe(Number(BigInt(`0x${header[2]}`) - BigInt(`0x${header[1]}`)));
    expect(first.counters.other.Size).toBeUndefined();
    expect(first.vmFlags).toEqual(text.find((l) => l.startsWith('VmFlags:'))!.slice(8).trim().split(' '));
  });

  it('keeps unknown keys (KSM, THPeligible) in `other`, Pss_Dirty in its own counter, and never adds them to Pss', () => {
    const mappings = mappingsOf('node-many-mappings', 11165);
    for (const m of mappings) {
      expect(m.counters.pssDirty).toBeLessThanOrEqual(m.counters.pss);
      expect(m.counters.other).not.toHaveProperty('Pss_Dirty');
      expect(m.counters.other).toHaveProperty('KSM');
      // THPeligible is a flag without "kB": kept as the raw number.
      expect(m.counters.other.THPeligible).toBe(0);
    }
  });
});

// awk '/^[0-9a-f]+-[0-9a-f]+ [^ ]+ [^ ]+ [^ ]+ [^ ]+ *$/' snapshots/node-many-mappings/proc/11165/smaps | wc -l
const ANONYMOUS_IN_11165 = 5;

describe('backings from the path column', () => {
  it('a deleted executable whose path has a space', () => {
    // grep -n 'fp-snap' snapshots/deleted-exe/proc/11192/smaps: 5 mappings of the deleted exe.
    const exe = mappingsOf('deleted-exe', 11192).filter((m) => m.backing.kind === 'path' && m.backing.path === '/tmp/fp-snap/my sleep');
    expect(exe).toHaveLength(5);
    for (const m of exe) expect(m.backing).toEqual({ kind: 'path', path: '/tmp/fp-snap/my sleep', deleted: true });
    expect(exe.map((m) => m.permissions.text)).toEqual(['r--p', 'r-xp', 'r--p', 'r--p', 'rw-p']);
  });

  it('mapped files whose paths have spaces, one of them deleted', () => {
    const mappings = mappingsOf('deleted-exe', 11201);
    // Lines 176 and 201 of snapshots/deleted-exe/proc/11201/smaps.
    const gone = mappings.find((m) => m.backing.kind === 'path' && m.backing.path === '/tmp/fp-snap/gone data.bin')!;
    const kept = mappings.find((m) => m.backing.kind === 'path' && m.backing.path === '/tmp/fp-snap/mapped data.bin')!;
    expect(gone.backing).toEqual({ kind: 'path', path: '/tmp/fp-snap/gone data.bin', deleted: true });
    expect(gone.permissions).toEqual({ text: 'rw-s', read: true, write: true, execute: false, shared: true });
    // The script wrote all 32 KiB of it through a MAP_SHARED mapping, and read all 64 KiB of the other.
    expect(gone.size).toBe(32 * KIB);
    expect(gone.counters.rss).toBe(32 * KIB);
    expect(kept.backing).toEqual({ kind: 'path', path: '/tmp/fp-snap/mapped data.bin', deleted: false });
    expect(kept.size).toBe(64 * KIB);
    expect(kept.counters.rss).toBe(64 * KIB);
  });

  it('bracketed pseudo paths and anonymous mappings', () => {
    const mappings = mappingsOf('node-many-mappings', 11165);
    const pseudo = mappings.filter((m) => m.backing.kind === 'pseudo').map((m) => (m.backing as { name: string }).name).sort();
    // grep -c over the header lines of snapshots/node-many-mappings/proc/11165/smaps.
    expect(pseudo).toEqual(['[heap]', '[stack]', '[vdso]', '[vsyscall]', '[vvar]', '[vvar_vclock]']);
    expect(mappings.filter((m) => m.backing.kind === 'anonymous')).toHaveLength(ANONYMOUS_IN_11165);
  });

  it('a path holding ESC and the kernel\'s \\012 escape for a newline stays one backing', () => {
    const exe = mappingsOf('hostile-names', 11307).filter((m) => m.backing.kind === 'path' && m.backing.path.startsWith('/tmp/fp-hostile/'));
    expect(exe).toHaveLength(5);
    expect(exe[0].backing).toEqual({ kind: 'path', path: '/tmp/fp-hostile/evil\x1b[31m\\012sleep', deleted: false });
  });
});

describe('malformed smaps', () => {
  const real = snapshotText('kernel-thread', '11230/smaps').split('\n');

  it('a counter that is not a number: the typed error names its line', () => {
    const lines = [...real];
    lines[4] = 'Rss:             lots kB'; // line 5
    const result = parseSmaps(lines.join('\n'));
    expect(result).toEqual({ ok: false, error: { file: 'smaps', line: 5, text: 'Rss:             lots kB', reason: 'value of Rss is not a number' } });
  });

  it('a line without a colon in the 30th mapping', () => {
    const lines = [...real];
    lines[30 * 25 - 1] = 'garbage';
    const result = parseSmaps(lines.join('\n'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ file: 'smaps', line: 750, text: 'garbage' });
  });

  it('a counter before any header', () => {
    const result = parseSmaps(real.slice(1).join('\n'));
    expect(result).toEqual({ ok: false, error: { file: 'smaps', line: 1, text: real[1], reason: 'counter before any mapping header' } });
  });

  it('bad permissions in a header', () => {
    const lines = [...real];
    lines[25] = lines[25].replace(' r-xp ', ' rwzp ');
    const result = parseSmaps(lines.join('\n'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ line: 26, reason: 'bad permissions' });
  });
});

describe('SmapsParser: smaps a piece at a time', () => {
  const text = snapshotText('node-many-mappings', '11165/smaps');
  const lines = text.split('\n');
  /** The text cut after every `every` lines, each piece whole lines, as ProcReader.readLines hands them over. */
  const pieces = (every: number) => {
    const out: string[] = [];
    for (let at = 0; at < lines.length; at += every) out.push(lines.slice(at, at + every).join('\n') + (at + every < lines.length ? '\n' : ''));
    return out;
  };

  it.each([1, 7, 25, 100000])('cut every %i lines: the same mappings as the whole text', (every) => {
    const parser = new SmapsParser();
    for (const piece of pieces(every)) parser.push(piece);
    expect(parser.finish()).toEqual(parseSmaps(text));
    expect(parser.count).toBe(62);
  });

  it('with onMapping: each mapping handed over once, complete, none kept', () => {
    const seen: SmapsMapping[] = [];
    const parser = new SmapsParser((mapping) => seen.push(mapping));
    for (const piece of pieces(13)) parser.push(piece);
    expect(parser.finish()).toEqual({ ok: true, value: [] });
    expect(seen).toEqual(mappingsOf('node-many-mappings', 11165));
  });

  it('a malformed line: its line number, as in the whole text, whatever the pieces', () => {
    const broken = [...lines.slice(0, 30), 'Private_Dirty:  12x kB', ...lines.slice(30)].join('\n');
    const whole = parseSmaps(broken);
    expect(whole).toMatchObject({ ok: false, error: { line: 31 } });
    const parser = new SmapsParser();
    for (let at = 0; at < broken.length; at = broken.indexOf('\n', at + 1) + 1 || broken.length) {
      parser.push(broken.slice(at, broken.indexOf('\n', at) + 1 || broken.length));
    }
    expect(parser.finish()).toEqual(whole);
  });

  it('a key the kernel may add later is kept in `other`, also a made-up one past the few dozen remembered', () => {
    const header = '7f0000000000-7f0000001000 rw-p 00000000 00:00 0 ';
    const made = Array.from({ length: 100 }, (_, i) => `Key${i}:  ${i} kB`).join('\n');
    const result = parseSmaps(`${header}\nRss:  4 kB\n${made}\nNewKey:  7\n`);
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.value[0].counters.rss).toBe(4096);
    expect(result.value[0].counters.other.Key99).toBe(99 * 1024);
    expect(result.value[0].counters.other.NewKey).toBe(7);
    expect(Object.keys(result.value[0].counters.other)).toHaveLength(101);
  });
});

describe('a mapped file\'s name with a line terminator JavaScript knows and the kernel does not escape', () => {
  it('a carriage return (captured here: test/fixtures/smapsSums/carriage.smaps) and U+2028 are part of the name', () => {
    const text = readFileSync(new URL('../../fixtures/smapsSums/carriage.smaps', import.meta.url), 'utf8');
    const parsed = parseSmaps(text);
    if (!parsed.ok) throw new Error(parsed.error.reason);
    const carriage = parsed.value.filter((mapping) => mapping.backing.kind === 'path' && mapping.backing.path === '/dev/shm/carriage\rreturn');
    expect(carriage).toHaveLength(1);
    expect(carriage[0].backing).toEqual({ kind: 'path', path: '/dev/shm/carriage\rreturn', deleted: true });
    const separator = text.replace('/dev/shm/carriage\rreturn', '/dev/shm/line\u2028separator');
    const again = parseSmaps(separator);
    if (!again.ok) throw new Error(again.error.reason);
    expect(again.value.some((mapping) => mapping.backing.kind === 'path' && mapping.backing.path === '/dev/shm/line\u2028separator')).toBe(true);
  });
});
