/**
 * The System block's cgroup holders (findCgroupHolders): the cgroups holding
 * most page cache and slab themselves, found without reading every cgroup.
 * The trees here are written in the kernel's memory.stat formats
 * (Documentation/admin-guide/cgroup-v2.rst, cgroup-v1/memory.rst) with each
 * cgroup's own figures chosen by the test, so the answer is known before the
 * search runs: its subtree's figure is its own plus its descendants', as the
 * kernel keeps them (v2 memory.stat and v1 total_* are hierarchical).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { CgroupReader } from '../../src/kernel/cgroupReader.js';
import { findCgroupHolders } from '../../src/cgroups/findCgroupHolders.js';
import { REPO } from '../helpers/snapshots.js';
import { tempDir } from '../helpers/tempPaths.js';

const MiB = 1024 * 1024;

interface Node {
  /** Its own page cache and slab, in bytes. */
  cache: number;
  slab: number;
  children?: Record<string, Node>;
  /** Write this instead of a memory.stat (a malformed one). */
  statText?: string;
}

function subtree(node: Node): { cache: number; slab: number } {
  const below = Object.values(node.children ?? {}).map(subtree);
  return { cache: node.cache + below.reduce((sum, each) => sum + each.cache, 0), slab: node.slab + below.reduce((sum, each) => sum + each.slab, 0) };
}

function v2Stat(node: Node): string {
  const { cache, slab } = subtree(node);
  const reclaimable = Math.floor(slab / 2);
  return ['anon 0', `file ${cache}`, 'kernel_stack 0', 'sock 0', 'shmem 0', 'inactive_anon 0', 'active_anon 0', `inactive_file ${cache}`, 'active_file 0', 'unevictable 0',
    `slab_reclaimable ${reclaimable}`, `slab_unreclaimable ${slab - reclaimable}`, `slab ${slab}`, ''].join('\n');
}

const V1_KEYS = ['cache', 'rss', 'rss_huge', 'shmem', 'mapped_file', 'dirty', 'writeback', 'pgpgin', 'pgpgout', 'pgfault', 'pgmajfault', 'inactive_anon', 'active_anon', 'inactive_file', 'active_file', 'unevictable'];

function v1Stat(node: Node): string {
  const own = (key: string) => (key === 'cache' || key === 'inactive_file' ? node.cache : 0);
  const total = (key: string) => (key === 'cache' || key === 'inactive_file' ? subtree(node).cache : 0);
  return [...V1_KEYS.map((key) => `${key} ${own(key)}`), 'hierarchical_memory_limit 9223372036854771712', ...V1_KEYS.map((key) => `total_${key} ${total(key)}`), ''].join('\n');
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function writeTree(version: 1 | 2, top: Node): string {
  const root = tempDir('footprint-holders-');
  made.push(root);
  const write = (dir: string, node: Node) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'memory.stat'), node.statText ?? (version === 2 ? v2Stat(node) : v1Stat(node)));
    if (version === 1 && dir === root) writeFileSync(join(dir, 'memory.use_hierarchy'), '1\n');
    for (const [name, child] of Object.entries(node.children ?? {})) write(join(dir, name), child);
  };
  write(root, top);
  return root;
}

/** The search, counting the memory.stat files it read. */
function search(root: string, version: 1 | 2) {
  let statReads = 0;
  const reader = new CgroupReader(root, (relative, text) => {
    if (text !== undefined && relative.endsWith('memory.stat')) statReads++;
  });
  return { holders: findCgroupHolders(reader, version), statReads };
}

/** 300 services, each holding a little of both; three of them hold much more, one of those deep in a subtree of its own. */
function wideHost(): Node {
  const services: Record<string, Node> = {};
  for (let i = 0; i < 300; i++) services[`svc${String(i).padStart(3, '0')}.service`] = { cache: (i % 7) * 4096, slab: (i % 5) * 4096 };
  services['postgres.service'] = { cache: 900 * MiB, slab: 2 * MiB };
  services['nginx.service'] = { cache: 300 * MiB, slab: 40 * MiB };
  services['app.slice'] = { cache: 0, slab: 0, children: { 'worker.scope': { cache: 0, slab: 0, children: { 'job.scope': { cache: 500 * MiB, slab: 70 * MiB } } } } };
  return { cache: 12 * MiB, slab: 30 * MiB, children: { 'system.slice': { cache: 0, slab: MiB, children: services }, 'user.slice': { cache: 64 * MiB, slab: 0 } } };
}

describe('the cgroups holding most page cache and slab themselves', () => {
  test('v2, 300 small services and three large holders: the three, each its own figure', () => {
    const { holders, statReads } = search(writeTree(2, wideHost()), 2);
    expect(holders).toEqual({
      version: 2,
      pageCache: [
        { path: '/system.slice/postgres.service', bytes: 900 * MiB },
        { path: '/system.slice/app.slice/worker.scope/job.scope', bytes: 500 * MiB },
        { path: '/system.slice/nginx.service', bytes: 300 * MiB },
      ],
      slab: [
        { path: '/system.slice/app.slice/worker.scope/job.scope', bytes: 70 * MiB },
        { path: '/system.slice/nginx.service', bytes: 40 * MiB },
        { path: '/', bytes: 30 * MiB },
      ],
      unreadable: 0,
    });
    // Every child of a cgroup searched is read: the top's file, its 2 children's, system.slice's 303, worker.scope's and job.scope's.
    // The small services are never listed (nothing below them could place), which is all there is to save in a flat tree.
    expect(statReads).toBe(1 + 2 + 303 + 1 + 1);
  });

  test('v2, a wide subtree that holds little is never opened: 300 empty cgroups under one parent cost one read', () => {
    const empty: Record<string, Node> = {};
    for (let i = 0; i < 300; i++) empty[`c${i}`] = { cache: 0, slab: 0 };
    const top: Node = { cache: 4 * MiB, slab: MiB, children: { busy: { cache: 200 * MiB, slab: 3 * MiB }, idle: { cache: 0, slab: 0, children: empty } } };
    const { holders, statReads } = search(writeTree(2, top), 2);
    expect(holders.pageCache).toEqual([{ path: '/busy', bytes: 200 * MiB }, { path: '/', bytes: 4 * MiB }]);
    expect(holders.slab).toEqual([{ path: '/busy', bytes: 3 * MiB }, { path: '/', bytes: MiB }]);
    // The top, busy and idle: idle's 300 children are not read, since idle in all holds nothing.
    expect(statReads).toBe(3);
  });

  test('v2: a subtree below the third holder is not opened; one that could tie with it is, and the tie goes by name', () => {
    const top: Node = {
      cache: 0, slab: 0,
      children: {
        a: { cache: 50 * MiB, slab: 0 },
        b: { cache: 40 * MiB, slab: 0 },
        c: { cache: 30 * MiB, slab: 0 },
        // 29 MiB in all: cannot place, never opened.
        d: { cache: 0, slab: 0, children: { d1: { cache: 29 * MiB, slab: 0 } } },
        // 30 MiB in all, held by e1: ties with c, and "/c" < "/e/e1" keeps c.
        e: { cache: 0, slab: 0, children: { e1: { cache: 30 * MiB, slab: 0 } } },
      },
    };
    const { holders, statReads } = search(writeTree(2, top), 2);
    expect(holders.pageCache).toEqual([{ path: '/a', bytes: 50 * MiB }, { path: '/b', bytes: 40 * MiB }, { path: '/c', bytes: 30 * MiB }]);
    expect(statReads).toBe(7); // the top, a–e, e1; not d1
  });

  test('v2: an unreadable memory.stat is counted, bounds nothing, and its subtree is searched', () => {
    const top: Node = { cache: 0, slab: 0, children: { broken: { cache: 0, slab: 0, statText: 'not a memory.stat\n', children: { inside: { cache: 70 * MiB, slab: 0 } } }, other: { cache: 5 * MiB, slab: 0 } } };
    const { holders } = search(writeTree(2, top), 2);
    expect(holders.pageCache).toEqual([{ path: '/broken/inside', bytes: 70 * MiB }, { path: '/other', bytes: 5 * MiB }]);
    expect(holders.unreadable).toBe(1);
  });

  test('v1: own pages from cache, the bound from total_cache; no slab figure', () => {
    const empty: Record<string, Node> = {};
    for (let i = 0; i < 100; i++) empty[`c${i}`] = { cache: 0, slab: 0 };
    const top: Node = { cache: 8 * MiB, slab: 0, children: { web: { cache: 120 * MiB, slab: 0, children: { php: { cache: 60 * MiB, slab: 0 } } }, idle: { cache: 0, slab: 0, children: empty } } };
    const { holders, statReads } = search(writeTree(1, top), 1);
    expect(holders).toEqual({ version: 1, pageCache: [{ path: '/web', bytes: 120 * MiB }, { path: '/web/php', bytes: 60 * MiB }, { path: '/', bytes: 8 * MiB }], unreadable: 0 });
    expect(statReads).toBe(4); // the top, web, idle, php
  });

  test('v1 with memory.use_hierarchy 0 (before 5.11): total_cache bounds nothing, so every cgroup is read', () => {
    const top: Node = { cache: MiB, slab: 0, children: { idle: { cache: 0, slab: 0, children: { late: { cache: 9 * MiB, slab: 0 } } } } };
    const root = writeTree(1, top);
    writeFileSync(join(root, 'memory.use_hierarchy'), '0\n');
    // Non-hierarchical: idle's total is its own (0), yet late below it holds 9 MiB.
    writeFileSync(join(root, 'idle', 'memory.stat'), v1Stat({ cache: 0, slab: 0 }));
    expect(search(root, 1).holders.pageCache).toEqual([{ path: '/idle/late', bytes: 9 * MiB }, { path: '/', bytes: MiB }]);
  });

  test('the captured v2 6.6 tree: the holders worked by hand in reportColumns.test.ts', () => {
    const { holders } = search(join(REPO, 'snapshots', 'cgroup-v2-6.6', 'cgroup'), 2);
    expect(holders.pageCache).toEqual([{ path: '/system.slice/postgres.service', bytes: 104857600 }, { path: '/system.slice/nginx.service', bytes: 31457280 }]);
  });
});
