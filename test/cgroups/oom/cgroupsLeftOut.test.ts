/**
 * The cgroups a walk leaves out past its bound are counted one by one, not as
 * the one point where it stopped (issue 20: "1, not 39"). A real directory
 * tree stands for a captured hierarchy: 103 levels in a chain, beside a short
 * branch; the walk reads 64 levels below its start, so the 39 below are left out.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { CgroupReader } from '../../../src/kernel/cgroupReader.js';
import { readCgroupTree } from '../../../src/cgroups/readCgroupTree.js';
import { tempDir } from '../../helpers/storeFixtures.js';

const root = tempDir('footprint-left-out-');

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('cgroups left out past the walk\'s depth', () => {
  it('a chain of 103 levels: 64 read, the 39 below each counted; a short branch beside it read whole', () => {
    mkdirSync(join(root, ...Array.from({ length: 103 }, (_, level) => `d${level}`)), { recursive: true });
    mkdirSync(join(root, 'short', 'a'), { recursive: true });
    const tree = readCgroupTree(new CgroupReader(root), { version: 1 });
    // The top, 64 levels of the chain, and "short" with "a".
    expect(tree.cgroups).toHaveLength(1 + 64 + 2);
    expect(tree.leftOut).toBe(39);
  });
});
