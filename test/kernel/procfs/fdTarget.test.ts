import { describe, expect, it } from '@jest/globals';
import { parseFdTarget } from '../../../src/kernel/procfs/fdTarget.js';

/* Links read on this machine (Linux 6.18) from test/fixtures/shmemKinds.c's processes and a shell's fd/. */
describe('parseFdTarget', () => {
  it.each([
    ['/memfd:footprint (deleted)', { kind: 'memfd', name: 'footprint' }],
    // readlink gives the name raw: a newline and an escape are the name's own.
    ['/memfd:fp\nmem\x1bfd (deleted)', { kind: 'memfd', name: 'fp\nmem\x1bfd' }],
    ['/dev/shm/fp-try-unl (deleted)', { kind: 'path', path: '/dev/shm/fp-try-unl', deleted: true }],
    ['/dev/shm/fp-try posix', { kind: 'path', path: '/dev/shm/fp-try posix', deleted: false }],
    ['/SYSV00000000 (deleted)', { kind: 'path', path: '/SYSV00000000', deleted: true }],
    ['/dev/zero (deleted)', { kind: 'path', path: '/dev/zero', deleted: true }],
    ['pipe:[1133328]', { kind: 'object', type: 'pipe', detail: '[1133328]' }],
    ['socket:[1133163]', { kind: 'object', type: 'socket', detail: '[1133163]' }],
    ['anon_inode:[eventfd]', { kind: 'object', type: 'anon_inode', detail: '[eventfd]' }],
    ['anon_inode:inotify', { kind: 'object', type: 'anon_inode', detail: 'inotify' }],
    ['relative (deleted)', { kind: 'path', path: 'relative', deleted: true }],
  ])('%j', (link, target) => {
    expect(parseFdTarget(link)).toEqual(target);
  });
});
