import { afterAll, describe, expect, it } from '@jest/globals';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findHierarchy } from '../../src/cgroups/findHierarchy.js';
import { REPO } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

const V2_TREE = join(REPO, 'snapshots', 'cgroup-v2-6.6', 'cgroup');
/** A hybrid host's /sys/fs/cgroup/unified: cgroup2, without the memory controller (this machine's has only hugetlb). */
const unified = tempDir('footprint-unified-');
writeFileSync(join(unified, 'cgroup.controllers'), 'hugetlb\n');
/** The top of a copied v1 memory hierarchy: its counter file, as this machine's /sys/fs/cgroup/memory has. */
const v1Copy = tempDir('footprint-v1-');
writeFileSync(join(v1Copy, 'memory.usage_in_bytes'), '3891933184\n');
afterAll(() => {
  rmSync(unified, { recursive: true, force: true });
  rmSync(v1Copy, { recursive: true, force: true });
});

const mount = (id: number, point: string, type: string, options: string) => `${id} 23 0:${id} / ${point} rw,relatime - ${type} ${type} ${options}\n`;

describe('finding the memory hierarchy', () => {
  it('a cgroup2 mount without the memory controller is passed over for the next that has it', () => {
    const found = findHierarchy(mount(41, unified, 'cgroup2', 'rw') + mount(42, V2_TREE, 'cgroup2', 'rw'), undefined);
    expect(found).toMatchObject({ ok: true, mount: { version: 2, mountPoint: V2_TREE, root: '/' } });
  });

  it('v1: the mount whose options name memory, whatever its files', () => {
    expect(findHierarchy(mount(32, '/sys/fs/cgroup/cpu', 'cgroup', 'rw,cpu') + mount(35, '/sys/fs/cgroup/memory', 'cgroup', 'rw,memory'), undefined))
      .toMatchObject({ ok: true, mount: { version: 1, mountPoint: '/sys/fs/cgroup/memory' } });
  });

  it('says why when none has it', () => {
    expect(findHierarchy(mount(41, unified, 'cgroup2', 'rw'), undefined)).toEqual({ ok: false, reason: 'no mounted cgroup hierarchy has the memory controller' });
    expect(findHierarchy('23 1 253:1 / / rw - ext4 /dev/vda rw\n', undefined)).toEqual({ ok: false, reason: 'no cgroup hierarchy is mounted' });
    expect(findHierarchy(undefined, undefined)).toEqual({ ok: false, reason: 'cannot read /proc/self/mountinfo to find the cgroup mounts' });
  });

  it('--cgroup-root: the version from the files, and a tree that is neither refused', () => {
    expect(findHierarchy(undefined, V2_TREE)).toMatchObject({ ok: true, mount: { version: 2, mountPoint: V2_TREE } });
    expect(findHierarchy(undefined, v1Copy)).toMatchObject({ ok: true, mount: { version: 1, mountPoint: v1Copy } });
    expect(findHierarchy(undefined, join(REPO, 'snapshots'))).toMatchObject({ ok: false });
  });
});
