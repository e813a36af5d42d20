import { parseCgroupProcs } from '../kernel/cgroupfs/cgroupProcs.js';
import { parseCounterFile, parseLimitFile, type Limit } from '../kernel/cgroupfs/cgroupValue.js';
import { parseMemoryEvents, parseOomControl, type OomEvents } from '../kernel/cgroupfs/memoryEvents.js';
import { parseMemoryStatV1, type MemoryStatV1 } from '../kernel/cgroupfs/memoryStatV1.js';
import { parseMemoryStatV2, type MemoryStatV2 } from '../kernel/cgroupfs/memoryStatV2.js';
import { describeParseError, type Parsed } from '../kernel/procfs/parseResult.js';
import { CgroupReader, describeCgroupRead } from '../kernel/cgroupReader.js';
import type { CgroupLimits } from './core/model.js';
import type { CgroupFiles, CgroupTree } from './core/model.js';
export type { CgroupFiles, CgroupTree } from './core/model.js';

export interface ReadTreeOptions {
  version: 1 | 2;
  /** Start here ("/" or "/a/b") instead of the top. */
  start?: string;
  /** Read memory files down to this many levels below the start; deeper cgroups are read for their members only. */
  maxDepth?: number;
  /** Read only the start's memory files (its descendants for their members). */
  onlyStart?: boolean;
  /** Only the memory files down to maxDepth: deeper cgroups are not visited, and no cgroup.procs is read (the metrics need neither). */
  memoryFilesOnly?: boolean;
}

/** Bounds of a walk: cgroups are directories, and a hostile tree could be deep or wide. */
const MAX_CGROUPS = 100_000;
const MAX_DEPTH = 64;

/** The most cgroups counted below a point the walk stopped at: listing only, but a hostile tree could be endless. */
const MAX_COUNTED = 1_000_000;

/** How many cgroups `dir` and those below it are (listed, not read), up to MAX_COUNTED. */
function countCgroups(reader: CgroupReader, dir: string): number {
  let counted = 0;
  const pending = [dir];
  while (pending.length > 0 && counted < MAX_COUNTED) {
    const at = pending.pop()!;
    counted++;
    const children = reader.children(at);
    if (Array.isArray(children)) for (const child of children) pending.push(`${at}/${child}`);
  }
  return counted;
}

/** Tells a captured tree's version from its top: v2 has cgroup.controllers, v1's memory controller memory.usage_in_bytes. */
export function detectVersion(reader: CgroupReader): 1 | 2 | undefined {
  if (reader.read('memory.usage_in_bytes').ok || reader.read('memory.stat').ok && !reader.read('cgroup.controllers').ok) return 1;
  if (reader.read('cgroup.controllers').ok) return 2;
  return undefined;
}

/** Whether a v2 hierarchy's top offers the memory controller. */
export function hasMemoryController(reader: CgroupReader): boolean {
  const controllers = reader.read('cgroup.controllers');
  return controllers.ok && controllers.text.trim().split(/\s+/).includes('memory');
}

class FileReads {
  readonly unreadable: string[] = [];
  constructor(private readonly reader: CgroupReader, private readonly dir: string) {}

  /** A file's parsed value; undefined when the kernel has no such file (or it failed: then said in `unreadable`). */
  take<T>(name: string, parse: (text: string) => Parsed<T>): T | undefined {
    const text = this.reader.read(this.dir === '' ? name : `${this.dir}/${name}`);
    if (!text.ok) {
      if (text.reason !== 'missing') this.unreadable.push(`${name}: ${describeCgroupRead(text)}`);
      return undefined;
    }
    const value = parse(text.text);
    if (!value.ok) {
      this.unreadable.push(describeParseError(value.error));
      return undefined;
    }
    return value.value;
  }
}

function readMemoryFiles(reads: FileReads, files: CgroupFiles, version: 1 | 2): void {
  const limit = (name: string): Limit | undefined => reads.take(name, (text) => parseLimitFile(name, text));
  const counter = (name: string): number | undefined => reads.take(name, (text) => parseCounterFile(name, text));
  if (version === 2) {
    files.statV2 = reads.take('memory.stat', parseMemoryStatV2);
    files.current = counter('memory.current');
    files.limits = { max: limit('memory.max'), high: limit('memory.high'), low: limit('memory.low'), min: limit('memory.min') };
    files.peak = counter('memory.peak');
    files.oom = reads.take('memory.events', parseMemoryEvents);
  } else {
    files.statV1 = reads.take('memory.stat', parseMemoryStatV1);
    files.usage = counter('memory.usage_in_bytes');
    files.kmem = counter('memory.kmem.usage_in_bytes');
    files.limits = { max: limit('memory.limit_in_bytes'), high: limit('memory.soft_limit_in_bytes') };
    files.peak = counter('memory.max_usage_in_bytes');
    files.oom = reads.take('memory.oom_control', parseOomControl);
  }
  // Optional limits the kernel lacks are simply absent from the record.
  for (const key of Object.keys(files.limits) as (keyof CgroupLimits)[]) if (files.limits[key] === undefined) delete files.limits[key];
}

/**
 * One cgroup's memory files ("/a/b"), without its members or its children:
 * the report's --group cgroup columns. A cgroup that is not there (gone, or a
 * path outside this mount) says so in `unreadable`.
 */
export function readCgroupFiles(reader: CgroupReader, version: 1 | 2, path: string): CgroupFiles {
  const dir = path === '/' ? '' : path.slice(1);
  const reads = new FileReads(reader, dir);
  const files: CgroupFiles = { path, depth: path === '/' ? 0 : path.split('/').length - 1, read: true, limits: {}, unreadable: reads.unreadable };
  const children = reader.inCgroup(dir, () => {
    const listed = reader.children(dir);
    if (Array.isArray(listed)) readMemoryFiles(reads, files, version);
    return listed;
  });
  if (!Array.isArray(children)) {
    // A captured cgroup that leads out of its tree (a link, a path with ..) is refused: say why.
    reads.unreadable.push(children.reason === 'malformed' ? `cgroup ${path}: ${describeCgroupRead(children)}` : `no memory cgroup ${path} under ${reader.root}`);
  }
  return files;
}

/**
 * Walks a memory hierarchy depth first, parent before child: each cgroup's
 * memory files down to maxDepth, and every cgroup's cgroup.procs (a cgroup's
 * charge covers its descendants, so its processes' side must too). Never
 * throws for a cgroup that vanished or is unreadable: it says so.
 */
export function readCgroupTree(reader: CgroupReader, options: ReadTreeOptions): CgroupTree {
  const start = options.start ?? '/';
  const cgroups: CgroupFiles[] = [];
  let leftOut = 0;
  const startDepth = start === '/' ? 0 : start.split('/').length - 1;
  const visit = (path: string, depth: number): void => {
    if (cgroups.length >= MAX_CGROUPS || depth - startDepth > MAX_DEPTH) {
      // Each cgroup left out counts, not the point the walk stopped at: the cgroup and all below it.
      leftOut += countCgroups(reader, path === '/' ? '' : path.slice(1));
      return;
    }
    const dir = path === '/' ? '' : path.slice(1);
    const reads = new FileReads(reader, dir);
    const below = depth - startDepth;
    const read = options.onlyStart ? below === 0 : options.maxDepth === undefined || below <= options.maxDepth;
    if (options.memoryFilesOnly && !read) return;
    const files: CgroupFiles = { path, depth, read, limits: {}, unreadable: reads.unreadable };
    const children = reader.inCgroup(dir, () => {
      if (read) readMemoryFiles(reads, files, options.version);
      if (!options.memoryFilesOnly) files.procs = reads.take('cgroup.procs', parseCgroupProcs);
      return reader.children(dir);
    });
    cgroups.push(files);
    if (!Array.isArray(children)) {
      if (children.reason !== 'missing') reads.unreadable.push(`its children: ${describeCgroupRead(children)}`);
      return;
    }
    for (const child of children) visit(path === '/' ? `/${child}` : `${path}/${child}`, depth + 1);
  };
  visit(start, startDepth);
  return { version: options.version, cgroups, leftOut };
}
