/**
 * The shape of src/, read from its imports: no file imports itself back through
 * others, no layer imports one above it, and the casts that hide the yargs seam's
 * types do not grow. Every import counts, `import type` too: a type is as much a
 * dependency to a reader as a value.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '../../src');

/**
 * Which layer may import which: DESIGN.md's flow (scan → parse → reduce →
 * render → cli), as the code has it. A layer imports only those listed for it;
 * the files at the top of src/ (errors.ts, version.ts) are neutral: anyone may
 * import them, and they import nothing. Bottom first.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  // Bounded reads of regular files, and opening a path inside a captured root with no link followed: I/O, no policy.
  'kernel/files': [],
  // Pure parsers, one file per kernel file next to its types: /proc's, the cgroup files', /dev/kmsg's.
  'kernel/procfs': [],
  'kernel/cgroupfs': ['kernel/procfs'],
  // Pure parsers of /dev/kmsg's records and the OOM killer's lines.
  'kernel/kmsg': [],
  // The kernel room's reads: the one handle per /proc root, the cgroup tree's reader, /dev/kmsg, the one errno table. The only code that opens /proc, /sys/fs/cgroup, /dev/kmsg and /etc/passwd.
  kernel: ['kernel/files', 'kernel/procfs', 'kernel/cgroupfs', 'kernel/kmsg'],
  model: ['kernel/procfs'],
  // Pure: cgroups' records, their charge part by part, rows, order, next victim, kills noticed, metric families.
  'cgroups/core': ['kernel/procfs', 'kernel/cgroupfs', 'kernel/kmsg', 'model'],
  // Pure: the read budget (which processes to read exactly this scan, the figures carried forward between).
  budget: ['kernel/procfs', 'model'],
  // Pure: figures, grouping, ranking, naming.
  reduce: ['kernel/procfs', 'model', 'budget'],
  // A report's scan (its policy: read-ahead, which files a mode needs) through the kernel room's handle; its worker thread names processes by reduce's rule (needsCommandLine); a process's memory cgroup by cgroupfs' (memoryCgroupOf).
  scan: ['kernel/files', 'kernel/procfs', 'kernel/cgroupfs', 'kernel/kmsg', 'kernel', 'model', 'cgroups/core', 'budget', 'reduce'],
  // Pure text out of the model and the reductions: tables, CSV, JSON, HTML, Prometheus, the cgroups' tables.
  render: ['kernel/procfs', 'kernel/cgroupfs', 'model', 'cgroups/core', 'budget', 'reduce'],
  // Pure: who holds which file and which shared memory (files, shmem), and their rendering.
  holders: ['kernel/procfs', 'model', 'reduce', 'render'],
  // Saved reports: bounded reads, atomic writes, the history index (of reduce's history metrics).
  store: ['kernel/files', 'kernel', 'model', 'cgroups/core', 'reduce'],
  // cgroups: their tree read through the kernel room, rows, the OOM watch and its saved reports, the cgroup metric families, run's own cgroup, the System block's holders.
  cgroups: ['kernel/files', 'kernel/procfs', 'kernel/cgroupfs', 'kernel/kmsg', 'kernel', 'model', 'cgroups/core', 'scan', 'render', 'holders', 'store'],
  // A report's collection: the machine's context, the scan's strategy, the report built, its groups' cgroups read (--group cgroup, the System block).
  collect: ['kernel/files', 'kernel/procfs', 'kernel/cgroupfs', 'kernel/kmsg', 'kernel', 'model', 'cgroups/core', 'budget', 'reduce', 'scan', 'render', 'holders', 'cgroups'],
  // Memory over time: a few processes scanned again and again.
  sample: ['kernel/files', 'kernel', 'kernel/procfs', 'model', 'cgroups/core', 'reduce', 'scan'],
  run: ['kernel/files', 'kernel/procfs', 'kernel/cgroupfs', 'kernel/kmsg', 'kernel', 'model', 'cgroups/core', 'reduce', 'scan', 'render', 'store', 'cgroups', 'sample'],
  serve: ['kernel/files', 'kernel', 'model', 'cgroups/core', 'render'],
  // How the process itself runs: V8's flags for a short or a long run, the garbage bound of watch's and serve's repeated scans.
  runtime: [],
  // What a run loads first (the bundles, through their code caches): cli/main reaches it; it knows no command.
  startup: [],
  // On top: arguments and commands; the bundles' entries (cli/entries/).
  cli: ['kernel/files', 'kernel/procfs', 'kernel/cgroupfs', 'kernel/kmsg', 'kernel', 'model', 'cgroups/core', 'budget', 'reduce', 'scan', 'render', 'holders', 'store', 'collect', 'sample', 'run', 'serve', 'cgroups', 'runtime', 'startup'],
};

/** Imports against the table, file to file, allowed for now: none left (WatchSample moved to model/). */
const KNOWN_UPWARD = new Set<string>();
const KNOWN_CIRCLES = new Set<string>();

/**
 * `as never` casts in src/ (10 at the yargs seam before its handlers took the
 * types yargs infers from each command's options): none left, and none may come back.
 */
const AS_NEVER_CEILING = 0;

/** node:fs, imported as a module, or the `fs` that requireBuiltin.ts hands out (required, for start-up's speed). */
const FILE_SYSTEM_MODULES = /^(node:)?fs(\/promises)?$/;
const FS_THROUGH_REQUIRE_BUILTIN = /import\s*\{[^}]*\bfs\b[^}]*\}\s*from\s*'[./]*requireBuiltin\.js'|requireBuiltin\(\s*'(node:)?fs(\/promises)?'\s*\)/;

/**
 * Files outside kernel/ (the only reader of /proc, /sys/fs/cgroup, /dev/kmsg and
 * /etc/passwd) and store/ (which writes, and reads what it wrote) that use
 * node:fs, each with its reason. None reads the kernel's files.
 */
const OPENS_FILES_OUTSIDE_KERNEL: Record<string, string> = {
  'cgroups/captureCgroupTree.ts': "capture writes its copy of the cgroup tree: the directories (its files go through the writer it is handed)",
  'cli/commands/capture.ts': "capture's target: refused unless empty, DIR/proc/self made",
  'cli/output.ts': 'writes stdout and stderr',
  'run/outputRelay.ts': "run's output relay: CMD's output written on to stdout",
  'scan/captureProcTree.ts': 'capture writes its copy of /proc (owned by the read-budget work this session)',
  'scan/procHiding.ts': "the realpath of a /proc root, to find its mount's hidepid (a kernel read, to move into kernel/; owned by the read-budget work this session)",
  'startup/loadCompiled.ts': 'loads a built bundle and its V8 code cache',
  'startup/loadOverTimeBundle.ts': 'whether dist/overTime.cjs is there',
  'startup/loadReportBundle.ts': 'whether dist/report.cjs is there',
};

/** import/export … from '…', import '…' and import('…'), over lines; type-only ones too. */
const SPECIFIER = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

interface Source {
  file: string;
  text: string;
  imports: string[];
}

function readSources(): Map<string, Source> {
  const sources = new Map<string, Source>();
  for (const entry of readdirSync(SRC, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue;
    const path = join(SRC, entry);
    const text = readFileSync(path, 'utf8');
    const imports = [...text.matchAll(SPECIFIER)]
      .map((match) => match[1] ?? match[2])
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(SRC, resolve(dirname(path), specifier.replace(/\.js$/, '.ts'))));
    sources.set(entry, { file: entry, text, imports });
  }
  return sources;
}

/** Folders inside a room that are layers of their own: a room's pure core apart from its I/O shell. */
const SUB_LAYERS = ['kernel/files', 'kernel/procfs', 'kernel/cgroupfs', 'kernel/kmsg', 'cgroups/core'];

/** A folder of src/ is a layer, but for the SUB_LAYERS; the files at the top of src/ are '.'. */
const layerOf = (file: string): string => {
  if (!file.includes('/')) return '.';
  return SUB_LAYERS.find((layer) => file.startsWith(`${layer}/`)) ?? file.slice(0, file.indexOf('/'));
};

/**
 * The pure rooms: text or records in, records or text out, no I/O. They import
 * only each other (and the neutral files), and none of Node's modules that
 * reach the world (files, processes, threads, the network, the clock's timers).
 */
const PURE_LAYERS = new Set(['kernel/procfs', 'kernel/cgroupfs', 'kernel/kmsg', 'model', 'cgroups/core', 'budget', 'reduce', 'render', 'holders']);
const WORLDLY_MODULES = /^(node:)?(fs|fs\/promises|child_process|worker_threads|net|http|https|http2|tls|dgram|dns|cluster|os|process|timers|readline|v8|vm|module)$/;

/** Every import circle, each once, as `a -> b -> … -> a` from its smallest file (Tarjan's strongly connected components, then one cycle in each). */
function findCircles(sources: Map<string, Source>): string[] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string): void => {
    order.set(file, order.size);
    low.set(file, order.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of sources.get(file)!.imports) {
      if (!sources.has(next)) continue;
      if (!order.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, order.get(next)!));
      }
    }
    if (low.get(file) !== order.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || sources.get(file)!.imports.includes(file)) components.push(component);
  };
  for (const file of [...sources.keys()].sort()) if (!order.has(file)) visit(file);
  return components.map((component) => {
    const members = new Set(component);
    const start = [...members].sort()[0];
    // The shortest way back to start, inside the component (breadth first).
    const cameFrom = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const next of sources.get(file)!.imports) {
        if (!members.has(next) || cameFrom.has(next)) continue;
        cameFrom.set(next, file);
        if (next === start) queue.length = 0;
        else queue.push(next);
      }
    }
    const between: string[] = [];
    for (let file = cameFrom.get(start)!; file !== start; file = cameFrom.get(file)!) between.unshift(file);
    return [start, ...between, start].join(' -> ');
  });
}

describe('the imports of src/', () => {
  const sources = readSources();

  it('reads the tree: every relative import names a file that is there', () => {
    expect(sources.size).toBeGreaterThan(150);
    const dangling = [...sources.values()].flatMap((source) => source.imports.filter((target) => !sources.has(target)).map((target) => `${source.file} -> ${target}`));
    expect(dangling).toEqual([]);
    // The reader of imports sees what it must: a multi-line import, a type import, a dynamic import.
    expect(sources.get('cli/main.ts')!.imports).toContain('cli/parseArguments.ts');
    expect(sources.get('cli/rssOnlyFallback.ts')!.imports).toEqual(expect.arrayContaining(['cli/options/report.ts', 'collect/collectRssOnlyReport.ts']));
    expect(sources.get('scan/scanProcesses.ts')!.imports).toContain('scan/readStat.ts');
  });

  it('has no import circle, but the one known and owned elsewhere', () => {
    expect(findCircles(sources).filter((circle) => !KNOWN_CIRCLES.has(circle))).toEqual([]);
  });

  it('places every folder of src/ in the table of layers, and the table itself has no circle', () => {
    const layers = new Set([...sources.keys()].map(layerOf));
    layers.delete('.');
    expect([...layers].sort()).toEqual(Object.keys(MAY_IMPORT).sort());
    // Bottom first: each layer may import only layers listed before it.
    const seen = new Set<string>();
    for (const [layer, below] of Object.entries(MAY_IMPORT)) {
      const above = below.filter((other) => !seen.has(other));
      expect({ layer, above }).toEqual({ layer, above: [] });
      seen.add(layer);
    }
  });

  it('imports no layer above its own (the table above), and the neutral files import nothing', () => {
    const upward: string[] = [];
    for (const source of sources.values()) {
      const from = layerOf(source.file);
      for (const target of source.imports) {
        const to = layerOf(target);
        const allowed = from === '.' ? false : to === from || to === '.' || MAY_IMPORT[from].includes(to);
        const edge = `${source.file} -> ${target}`;
        if (!allowed && !KNOWN_UPWARD.has(edge)) upward.push(edge);
      }
    }
    expect(upward).toEqual([]);
  });

  it("reaches startup/ from cli/main.ts, and nothing outside cli/ imports cli/", () => {
    const intoStartup = [...sources.values()].filter((source) => layerOf(source.file) !== 'startup' && source.imports.some((target) => layerOf(target) === 'startup')).map((source) => source.file);
    // And the code cache's build entry (cli/entries/codeCacheTools.ts, run by scripts/ at build time, never at a run's
    // start): it writes the caches startup/ loads. watch's and serve's V8 tuning and garbage bound are runtime/'s.
    expect(intoStartup.sort()).toEqual(['cli/entries/codeCacheTools.ts', 'cli/main.ts']);
    const intoCli = [...sources.values()].filter((source) => layerOf(source.file) !== 'cli' && source.imports.some((target) => layerOf(target) === 'cli')).map((source) => source.file);
    expect(intoCli).toEqual([]);
  });

  it('keeps every pure room pure: it imports only pure rooms, and no Node module that does I/O', () => {
    const worldly: string[] = [];
    for (const source of sources.values()) {
      const layer = layerOf(source.file);
      if (!PURE_LAYERS.has(layer)) continue;
      for (const target of source.imports) {
        const to = layerOf(target);
        if (to !== '.' && !PURE_LAYERS.has(to)) worldly.push(`${source.file} -> ${target}`);
      }
      for (const match of source.text.matchAll(SPECIFIER)) {
        const specifier = match[1] ?? match[2];
        if (WORLDLY_MODULES.test(specifier)) worldly.push(`${source.file} -> ${specifier}`);
      }
    }
    expect(worldly).toEqual([]);
    // Every pure room is a layer of the table.
    for (const layer of PURE_LAYERS) expect(Object.keys(MAY_IMPORT)).toContain(layer);
  });

  it('opens files only in kernel/ and store/, but for the named exceptions: nothing else imports node:fs', () => {
    const withFs = [...sources.values()].filter((source) => {
      if (source.file.startsWith('kernel/') || source.file.startsWith('store/') || source.file === 'requireBuiltin.ts') return false;
      const modules = [...source.text.matchAll(SPECIFIER)].map((match) => match[1] ?? match[2]);
      return modules.some((specifier) => FILE_SYSTEM_MODULES.test(specifier)) || FS_THROUGH_REQUIRE_BUILTIN.test(source.text);
    }).map((source) => source.file);
    expect(withFs.filter((file) => !(file in OPENS_FILES_OUTSIDE_KERNEL)).sort()).toEqual([]);
    // And each exception still is one: the list does not outlive its reasons.
    expect(Object.keys(OPENS_FILES_OUTSIDE_KERNEL).filter((file) => !withFs.includes(file))).toEqual([]);
  });

  it(`has no more than ${AS_NEVER_CEILING} \`as never\` casts`, () => {
    const casts = [...sources.values()].flatMap((source) => source.text.split('\n').flatMap((line, index) => (/\bas never\b/.test(line) ? [`${source.file}:${index + 1}`] : [])));
    expect(casts.length).toBeLessThanOrEqual(AS_NEVER_CEILING);
  });
});
