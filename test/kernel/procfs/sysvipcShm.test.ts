import { describe, expect, it } from '@jest/globals';
import { parseSysvipcShm, sysvMappingName } from '../../../src/kernel/procfs/sysvipcShm.js';

/* This machine's /proc/sysvipc/shm (Linux 6.18) with test/fixtures/shmemKinds.c's 48 MiB segment (shmget(IPC_PRIVATE)), then the same after a second, keyed, segment marked for removal while attached. */
const HEADER = '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap';
const LIVE = `${HEADER}
         0          0   600              50331648 19313 19313      1     0     0     0     0 1796551458          0 1796551458              50331648                     0
`;

describe('parseSysvipcShm', () => {
  it('reads each segment by the header\'s column names, in bytes', () => {
    const result = parseSysvipcShm(LIVE);
    expect(result).toEqual({
      ok: true,
      value: [{
        key: 0, shmid: 0, permissions: 0o600, markedForRemoval: false, size: 50331648, creatorPid: 19313, lastPid: 19313,
        attached: 1, owner: { uid: 0, gid: 0 }, creator: { uid: 0, gid: 0 }, rss: 50331648, swap: 0,
      }],
    });
  });

  it('no segment is an empty list, not an error', () => {
    expect(parseSysvipcShm(`${HEADER}\n`)).toEqual({ ok: true, value: [] });
  });

  it('a negative key, SHM_DEST in the mode, another user, no holder', () => {
    const line = ' -559038737      32769  1666                  4096  4242  4343      0  1000  1000     0     0          0          0 1796551458                  4096                  8192';
    const result = parseSysvipcShm(`${HEADER}\n${line}\n`);
    expect(result.ok && result.value[0]).toEqual({
      key: -559038737, shmid: 32769, permissions: 0o666, markedForRemoval: true, size: 4096, creatorPid: 4242, lastPid: 4343,
      attached: 0, owner: { uid: 1000, gid: 1000 }, creator: { uid: 0, gid: 0 }, rss: 4096, swap: 8192,
    });
  });

  it('an older kernel without rss and swap: those are left out', () => {
    const old = '       key      shmid perms       size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime\n'
      + '         0          0   600     4096   10   10      1     0     0     0     0 0 0 0\n';
    const result = parseSysvipcShm(old);
    expect(result.ok && result.value[0].rss).toBeUndefined();
    expect(result.ok && result.value[0].size).toBe(4096);
  });

  it.each([
    ['a short line', '         0          0   600', 'expected 16 columns, found 3'],
    ['a word for a number', LIVE.split('\n')[1].replace('50331648 19313', 'lots 19313'), 'size is not a whole number'],
    ['a number past what JSON keeps exact', LIVE.split('\n')[1].replace('50331648 19313', '99999999999999999999 19313'), 'size is not a whole number'],
    ['a mode that is not octal', LIVE.split('\n')[1].replace('   600 ', '   900 '), 'perms is not an octal mode'],
  ])('%s is an error with its line number', (_, line, reason) => {
    const result = parseSysvipcShm(`${HEADER}\n${line}\n`);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ file: 'sysvipc/shm', line: 2, reason });
  });

  it('a header without the columns it needs is an error', () => {
    const result = parseSysvipcShm('key size\n1 2\n');
    expect(!result.ok && result.error.reason).toBe('no shmid column');
  });
});

describe('sysvMappingName', () => {
  it('is /SYSV and the key as eight hex digits, a negative key as its 32 bits', () => {
    expect(sysvMappingName(0)).toBe('/SYSV00000000');
    expect(sysvMappingName(0xabcd)).toBe('/SYSV0000abcd');
    expect(sysvMappingName(-559038737)).toBe('/SYSVdeadbeef');
  });
});
