import { describe, expect, it } from '@jest/globals';
import { parseSmaps, type SmapsMapping } from '../../src/kernel/procfs/smaps.js';
import { backingName, regionKind, sectionOf } from '../../src/reduce/classifyMapping.js';
import { snapshotText } from '../helpers/snapshots.js';

/** One mapping of a captured smaps, found by its header's path column (or permissions for anonymous ones). */
function mapping(pid: number, match: (header: string) => boolean): SmapsMapping {
  const snapshot = pid === 11201 ? 'deleted-exe' : 'node-many-mappings';
  const text = snapshotText(snapshot, `${pid}/smaps`);
  const blocks = text.split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/);
  const block = blocks.find((b) => match(b.split('\n')[0]));
  if (block === undefined) throw new Error(`no such mapping in ${snapshot}/${pid}`);
  const parsed = parseSmaps(block);
  if (!parsed.ok) throw new Error(parsed.error.reason);
  return parsed.value[0];
}

const path = (p: string) => (header: string) => header.endsWith(` ${p}`);

// Header lines of snapshots/node-many-mappings/proc/11165/smaps (shm_kinds.py, see snapshots/README.md).
describe('regionKind on real mappings', () => {
  it.each([
    ['[heap]', 11165, path('[heap]'), 'heap', 'anonymous', '[heap]'],
    ['[stack]', 11165, path('[stack]'), 'stack', 'anonymous', '[stack]'],
    ['[vdso]', 11165, path('[vdso]'), 'kernel', 'anonymous', '[vdso]'],
    ['[vvar]', 11165, path('[vvar]'), 'kernel', 'anonymous', '[vvar]'],
    ['MAP_SHARED|MAP_ANONYMOUS: rw-s /dev/zero (deleted)', 11165, path('/dev/zero (deleted)'), 'shared-memory', 'anonymous', '/dev/zero (deleted)'],
    ['memfd_create: /memfd:fp-memfd (deleted)', 11165, path('/memfd:fp-memfd (deleted)'), 'shared-memory', 'anonymous', '/memfd:fp-memfd (deleted)'],
    ['SysV shmat: /SYSV00000000 (deleted)', 11165, path('/SYSV00000000 (deleted)'), 'shared-memory', 'anonymous', '/SYSV00000000 (deleted)'],
    ['POSIX shm: /dev/shm/fp-shm', 11165, path('/dev/shm/fp-shm'), 'shared-memory', 'anonymous', '/dev/shm/fp-shm'],
    ['a library', 11165, (h: string) => / r-xp .*\/libc\.so\.6$/.test(h), 'file', 'mapped', '/usr/lib/x86_64-linux-gnu/libc.so.6'],
    ['private anonymous', 11165, (h: string) => / rw-p 00000000 00:00 0 *$/.test(h), 'anonymous', 'anonymous', '[anonymous]'],
    ['a deleted file with spaces, MAP_SHARED', 11201, path('/tmp/fp-snap/gone data.bin (deleted)'), 'file', 'mapped', '/tmp/fp-snap/gone data.bin (deleted)'],
  ] as const)('%s', (_what, pid, match, region, section, name) => {
    const m = mapping(pid, match);
    expect(regionKind(m)).toBe(region);
    expect(sectionOf(regionKind(m))).toBe(section);
    expect(backingName(m)).toBe(name);
  });

  it('/dev/zero mapped privately is copy-on-write zero pages, not shared memory', () => {
    const shared = mapping(11165, path('/dev/zero (deleted)'));
    const privateZero: SmapsMapping = { ...shared, permissions: { ...shared.permissions, text: 'rw-p', shared: false } };
    expect(regionKind(privateZero)).toBe('file');
  });
});
