import type { CgroupReader } from '../kernel/cgroupReader.js';
import { parseMemoryStatV1 } from '../kernel/cgroupfs/memoryStatV1.js';
import { parseMemoryStatV2 } from '../kernel/cgroupfs/memoryStatV2.js';
import type { CgroupHolding, SystemCgroups } from '../model/report.js';

/** How many cgroups the System block names for each of page cache and slab. */
export const CGROUPS_NAMED = 3;

/** Bounds of the search, as of every walk: cgroups are directories, and a hostile tree could be deep or wide. */
const MAX_CGROUPS = 100_000;
const MAX_DEPTH = 64;

type Key = 'pageCache' | 'slab';

/** A cgroup's page cache and slab: its subtree's (v2 file and slab; v1 total_cache) and, on v1, its own (cache). */
interface Holdings {
  subtree: Partial<Record<Key, number>>;
  /** v1 only: the plain `cache` field, the cgroup's own pages. */
  ownCache?: number;
}

interface Visit {
  path: string;
  depth: number;
  /** undefined: its memory.stat could not be read (or the kernel has none, as v2's top before 5.8): no bound, so it is searched. */
  holdings: Holdings | undefined;
}

/** The largest holdings found so far, CGROUPS_NAMED of each key at most. */
class Leaders {
  private readonly lists: Record<Key, CgroupHolding[]> = { pageCache: [], slab: [] };

  offer(key: Key, path: string, bytes: number): void {
    if (bytes <= 0) return;
    const list = this.lists[key];
    list.push({ path, bytes });
    list.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1));
    if (list.length > CGROUPS_NAMED) list.length = CGROUPS_NAMED;
  }

  /**
   * Whether a subtree holding `bytes` in all could still place a cgroup among
   * the leaders: no cgroup in it holds more itself than the subtree in all.
   * Equal to the last leader still can (a tie, settled by name), and nothing
   * at 0 ever is one.
   */
  mayPlace(key: Key, bytes: number | undefined): boolean {
    if (bytes === undefined) return false;
    const list = this.lists[key];
    return bytes > 0 && (list.length < CGROUPS_NAMED || bytes >= list[list.length - 1].bytes);
  }

  top(key: Key): CgroupHolding[] {
    return this.lists[key];
  }
}

/** A cgroup's memory.stat, or why not: `missing` where the kernel has none (v2's top before 5.8), `unreadable` where it failed or made no sense. */
function readHoldings(reader: CgroupReader, dir: string, version: 1 | 2): Holdings | 'missing' | 'unreadable' {
  const text = reader.read(dir === '' ? 'memory.stat' : `${dir}/memory.stat`);
  if (!text.ok) return text.reason === 'missing' ? 'missing' : 'unreadable';
  if (version === 2) {
    const stat = parseMemoryStatV2(text.text);
    if (!stat.ok) return 'unreadable';
    const { file, slabReclaimable, slabUnreclaimable } = stat.value;
    const slab = slabReclaimable === undefined && slabUnreclaimable === undefined ? undefined : (slabReclaimable ?? 0) + (slabUnreclaimable ?? 0);
    return { subtree: slab === undefined ? { pageCache: file } : { pageCache: file, slab } };
  }
  const stat = parseMemoryStatV1(text.text);
  if (!stat.ok) return 'unreadable';
  return { subtree: { pageCache: stat.value.cache }, ownCache: stat.value.fields.cache };
}

/** v1 before 5.11 could be non-hierarchical (memory.use_hierarchy 0): total_cache then bounds nothing below, and every cgroup is read. */
function subtreesBound(reader: CgroupReader, version: 1 | 2): boolean {
  if (version === 2) return true;
  const flag = reader.read('memory.use_hierarchy');
  return !flag.ok || flag.text.trim() !== '0';
}

/**
 * The cgroups that hold most of the page cache and of the slab themselves, not
 * through their children, found without reading every cgroup's memory.stat:
 * a subtree's own figure (v2's memory.stat is hierarchical; v1's total_cache)
 * bounds what any cgroup in it holds, so a subtree that could not place one
 * among the leaders so far is not read. The largest subtrees are searched
 * first, which raises that bar early; the answer is the full walk's (test/cgroups/cgroupHolders.test.ts
 * checks them against each other). On a host of hundreds of cgroups, nearly
 * all of them holding little, this reads a few dozen files where the walk read
 * them all (at 300 empty cgroups, the walk added 40 ms to every report).
 *
 * What a cgroup holds itself: v2, its figure less its direct children's
 * (counters read moments apart may leave a parent a little below its
 * children's sum: never below 0), and unknown where a child's could not be
 * read; v1, the plain `cache` field.
 */
export function findCgroupHolders(reader: CgroupReader, version: 1 | 2): SystemCgroups {
  const leaders = new Leaders();
  const keys: Key[] = version === 2 ? ['pageCache', 'slab'] : ['pageCache'];
  const bounded = subtreesBound(reader, version);
  let unreadable = 0;
  let visited = 0;
  const known = (read: ReturnType<typeof readHoldings>): Holdings | undefined => {
    if (read === 'unreadable') unreadable++;
    return typeof read === 'string' ? undefined : read;
  };
  const worthSearching = (cgroup: Visit) => !bounded || cgroup.holdings === undefined || keys.some((key) => leaders.mayPlace(key, cgroup.holdings!.subtree[key]));

  const search = (cgroup: Visit): void => {
    if (visited >= MAX_CGROUPS || cgroup.depth > MAX_DEPTH || !worthSearching(cgroup)) return;
    visited++;
    const dir = cgroup.path === '/' ? '' : cgroup.path.slice(1);
    const names = reader.children(dir);
    const children: Visit[] = (Array.isArray(names) ? names : []).map((name) => {
      const path = cgroup.path === '/' ? `/${name}` : `${cgroup.path}/${name}`;
      return { path, depth: cgroup.depth + 1, holdings: known(readHoldings(reader, path.slice(1), version)) };
    });
    // v2: what a cgroup holds itself is known only where every child's figure is (an unreadable child's would be counted as its parent's).
    const ownKnown = version === 1 || children.every((child) => child.holdings !== undefined);
    if (cgroup.holdings !== undefined && ownKnown) {
      for (const key of keys) {
        const subtree = cgroup.holdings.subtree[key];
        if (subtree === undefined) continue;
        const own = version === 1 ? cgroup.holdings.ownCache ?? 0
          : subtree - children.reduce((sum, child) => sum + (child.holdings?.subtree[key] ?? 0), 0);
        leaders.offer(key, cgroup.path, Math.max(0, own));
      }
    }
    // Largest first: the leaders' bar rises soonest, and more subtrees fall below it.
    const size = (child: Visit) => (child.holdings === undefined ? Infinity : keys.reduce((sum, key) => sum + (child.holdings!.subtree[key] ?? 0), 0));
    children.sort((a, b) => size(b) - size(a));
    for (const child of children) search(child);
  };

  search({ path: '/', depth: 0, holdings: known(readHoldings(reader, '', version)) });
  const holders: SystemCgroups = { version, pageCache: leaders.top('pageCache'), unreadable };
  if (version === 2) holders.slab = leaders.top('slab');
  return holders;
}
