import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { BIN, KIB, procRoot, runCli, runJson, snapshotText } from '../helpers/snapshots.js';

const NODE_TREE = procRoot('node-many-mappings');

/*
 * Expected figures of snapshots/node-many-mappings, from its smaps_rollup files
 * (awk over Rss, Pss, Private_Clean, Private_Dirty, Pss_Dirty; see test/kernel/procfs/smapsRollup.test.ts), in kB:
 *   node 11163:                    Rss 40336 Pss 17080 Private_Clean 0    Private_Dirty 6328 Pss_Dirty 6328
 *   python3.11 shm_kinds.py 11165: Rss 10172 Pss 8274  Private_Clean 3924 Private_Dirty 4056 Pss_Dirty 4056
 * shared = Pss - private; ram = private + shared (= Pss here: no hugetlb).
 */
const NODE_GROUP = { name: 'node', count: 1, pids: [11163], writable: 6328, privateClean: 0, private: 6328, shared: 17080 - 6328, ram: 17080, pss: 17080, rss: 40336, swap: 0, pssDirty: 6328 };
const PYTHON_GROUP = { name: 'python3.11 shm_kinds.py', count: 1, pids: [11165], writable: 4056, privateClean: 3924, private: 7980, shared: 8274 - 7980, ram: 8274, pss: 8274, rss: 10172, swap: 0, pssDirty: 4056 };
const BYTE_FIELDS = ['writable', 'privateClean', 'private', 'shared', 'ram', 'pss', 'rss', 'swap', 'pssDirty'] as const;

function inBytes(group: typeof NODE_GROUP) {
  const out: Record<string, unknown> = { ...group, estimated: false };
  for (const field of BYTE_FIELDS) out[field] = group[field] * KIB;
  return out;
}

describe('--json: the footprint.report/1 contract on a snapshot', () => {
  const report = runJson(['--proc-root', NODE_TREE]);

  it('identity fields come from the captured tree', () => {
    expect(report.schema).toBe('footprint.report/1');
    expect(report.tool).toBe('footprint 0.1.0');
    expect(report.host).toBe(snapshotText('node-many-mappings', 'sys/kernel/hostname').trim());
    expect(report.kernel).toBe(snapshotText('node-many-mappings', 'sys/kernel/osrelease').trim());
    expect(report.source).toBe('smaps_rollup');
    expect(report.groupBy).toBe('program');
    expect(new Date(report.time).toISOString()).toBe(report.time);
  });

  it('exact groups, largest writable first', () => {
    expect(report.groups).toEqual([inBytes(NODE_GROUP), inBytes(PYTHON_GROUP)]);
  });

  it('totals are the sums of the groups', () => {
    const sum = (field: (typeof BYTE_FIELDS)[number]) => (NODE_GROUP[field] + PYTHON_GROUP[field]) * KIB;
    expect(report.totals).toEqual({
      writable: sum('writable'), private: sum('private'), shared: sum('shared'), ram: sum('ram'), pss: sum('pss'), rss: sum('rss'), swap: 0,
    });
  });

  it('scan counts add up: seen = measured + kernelThreads + zombies + denied + gone', () => {
    const { scan } = report;
    expect(scan).toMatchObject({ seen: 2, measured: 2, kernelThreads: 0, denied: 0, gone: 0, zombies: 0, estimated: 0 });
    expect(scan.seen).toBe(scan.measured + scan.kernelThreads + scan.zombies + scan.denied + scan.gone);
  });

  it('system figures from the captured meminfo; without zoneinfo (captured before it was saved) the reserve is unknown', () => {
    // grep -E '^(MemTotal|MemAvailable|Shmem):' snapshots/node-many-mappings/proc/meminfo
    const { parts, partsUnknown, ...figures } = report.system;
    expect(figures).toEqual({
      memTotal: 24683620 * KIB, memAvailable: 24218576 * KIB, used: (24683620 - 24218576) * KIB, shmem: 21496 * KIB,
      accounted: (17080 + 8274) * KIB,
    });
    expect(partsUnknown).toEqual(['kernelReserve', 'cacheHeldBack', 'reclaimableHeldBack', 'perCpuLists']);
    expect(parts.map((part: { key: string }) => part.key)).toEqual([
      'anon', 'shmem', 'unevictableCache', 'slabUnreclaimable', 'kernelStacks', 'pageTables', 'percpu', 'vmalloc', 'hugetlb', 'uncounted',
    ]);
    // Pss_Anon and Pss_Shmem of both rollups: node 6328 + 0, python 3800 + 256 (kB): grep -E "^Pss_(Anon|Shmem)" snapshots/node-many-mappings/proc/*/smaps_rollup.
    expect(parts.slice(0, 2).map((part: { measured: number }) => part.measured)).toEqual([(6328 + 3800) * KIB, 256 * KIB]);
  });

  it('every byte count is an integer, every figure a number', () => {
    const numbers = [
      ...report.groups.flatMap((g: Record<string, number>) => BYTE_FIELDS.map((f) => g[f])),
      ...Object.values(report.totals), ...Object.values(report.scan),
      ...['memTotal', 'memAvailable', 'used', 'shmem', 'accounted'].map((key) => report.system[key]),
      ...report.system.parts.flatMap((part: { bytes: number; measured?: number }) => [part.bytes, ...(part.measured === undefined ? [] : [part.measured])]),
    ];
    // scan: seen, measured, kernelThreads, denied, gone, zombies, estimated, malformed, ms.
    expect(numbers.length).toBe(2 * BYTE_FIELDS.length + 7 + 9 + 5 + 10 + 2);
    for (const n of numbers) expect(Number.isSafeInteger(n)).toBe(true);
  });
});

describe('other snapshots', () => {
  it('a kernel thread is counted, not measured (kernel-thread: kthreadd + sleep)', () => {
    const report = runJson(['--proc-root', procRoot('kernel-thread')]);
    expect(report.scan).toMatchObject({ seen: 2, measured: 1, kernelThreads: 1, denied: 0, gone: 0, zombies: 0 });
    // snapshots/kernel-thread/proc/11230/smaps_rollup: Pss 292, Private_Clean 36, Private_Dirty 108 kB.
    expect(report.groups.map((g: Record<string, unknown>) => [g.name, g.pids, g.writable, g.private, g.ram]))
      .toEqual([['sleep', [11230], 108 * KIB, 144 * KIB, 292 * KIB]]);
  });

  it('without smaps_rollup, the summed smaps: source "smaps" and the awk sums', () => {
    const report = runJson(['--proc-root', procRoot('no-smaps-rollup')]);
    expect(report.source).toBe('smaps');
    // awk sums of snapshots/no-smaps-rollup/proc/PID/smaps (test/procfs/smaps.test.ts), kB:
    //   node 11275: Pss 12793, Private_Dirty 6328, Private_Clean 0, Rss 40324
    //   sleep 11273: Pss 288, Private_Dirty 112, Private_Clean 48, Rss 1796
    expect(report.groups.map((g: Record<string, unknown>) => [g.name, g.writable, g.private, g.shared, g.ram, g.rss])).toEqual([
      ['node', 6328 * KIB, 6328 * KIB, (12793 - 6328) * KIB, 12793 * KIB, 40324 * KIB],
      ['sleep', 112 * KIB, 160 * KIB, (288 - 160) * KIB, 288 * KIB, 1796 * KIB],
    ]);
  });

  it('a deleted executable is named and marked', () => {
    const report = runJson(['--proc-root', procRoot('deleted-exe')]);
    expect(report.groups.map((g: Record<string, unknown>) => g.name)).toEqual(['python3.11 map_spaces.py', 'my sleep (deleted)']);
  });
});

describe('text and CSV agree with the JSON', () => {
  it('the text table in KiB shows the JSON figures, with a total line and two footer lines', () => {
    const result = runCli(['--proc-root', NODE_TREE, '--units', 'KiB', '--system']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0].split(/\s{2,}/).map((c) => c.trim())).toEqual(['Writable', 'Private', 'Shared', 'RAM used', 'Program']);
    const row = (g: typeof NODE_GROUP) => `${[g.writable, g.private, g.shared, g.ram].map((k) => `${k} KiB`).join('  ')}  ${g.name} (1)`;
    expect(lines[1].trim().replace(/ {2,}/g, '  ')).toBe(row(NODE_GROUP));
    expect(lines[2].trim().replace(/ {2,}/g, '  ')).toBe(row(PYTHON_GROUP));
    expect(lines[3]).toMatch(/^-+$/);
    expect(lines[4].trim().replace(/ {2,}/g, '  ')).toBe('10384 KiB  14308 KiB  11046 KiB  25354 KiB  total (2 processes)');
    expect(lines[5]).toMatch(/^Nothing left out\. 0 kernel threads and 0 zombies hold no user memory; 2 of 2 processes measured in \d+ ms\.$/);
    expect(lines[6]).toMatch(/^System: .*, part by part:$/);
    expect(lines.at(-2)).toMatch(/^ +\S+ \S+  not itemised: the kernel reserve and the cache MemAvailable holds back \(no zoneinfo read\)$/);
    expect(lines.slice(7, -1).every((line) => line.startsWith('  '))).toBe(true);
    expect(lines.at(-1)).toBe('');
  });

  it('--csv: a header and one line per group, byte counts', () => {
    const result = runCli(['--proc-root', NODE_TREE, '--csv']);
    expect(result.status).toBe(0);
    const b = (k: number) => String(k * KIB);
    expect(result.stdout).toBe([
      'name,count,pids,writable,privateClean,private,shared,ram,pss,rss,swap,estimated',
      `node,1,11163,${b(6328)},0,${b(6328)},${b(10752)},${b(17080)},${b(17080)},${b(40336)},0,false`,
      `python3.11 shm_kinds.py,1,11165,${b(4056)},${b(3924)},${b(7980)},${b(294)},${b(8274)},${b(8274)},${b(10172)},0,false`,
      '',
    ].join('\n'));
  });
});

describe('--sort, --reverse, --top, --group', () => {
  const names = (args: string[]) => runJson(['--proc-root', NODE_TREE, ...args]).groups.map((g: { name: string }) => g.name);

  it.each([
    [[], ['node', 'python3.11 shm_kinds.py']],
    [['--reverse'], ['python3.11 shm_kinds.py', 'node']],
    // private: node 6328 < python 7980 kB
    [['--sort', 'private'], ['python3.11 shm_kinds.py', 'node']],
    [['--sort', 'rss'], ['node', 'python3.11 shm_kinds.py']],
    [['--sort', 'name', '--reverse'], ['python3.11 shm_kinds.py', 'node']],
    [['--sort', 'private', '--top', '1'], ['python3.11 shm_kinds.py']],
    [['-n', '1'], ['node']],
  ])('%j', (args, expected) => {
    expect(names(args)).toEqual(expected);
  });

  it('--top cuts the groups, not the totals', () => {
    const report = runJson(['--proc-root', NODE_TREE, '--top', '1']);
    expect(report.groups).toHaveLength(1);
    expect(report.totals.writable).toBe((6328 + 4056) * KIB);
    const text = runCli(['--proc-root', NODE_TREE, '--top', '1']).stdout;
    expect(text).toContain('total (2 processes; 1 more group not shown)');
  });

  it.each([
    ['program', [['node', [11163]], ['python3.11 shm_kinds.py', [11165]]]],
    ['pid', [['node [11163]', [11163]], ['python3.11 shm_kinds.py [11165]', [11165]]]],
    ['cmdline', [["node -e 'setInterval(()=>{},1e6)'", [11163]], ['/usr/bin/python3 /tmp/fp-snap/shm_kinds.py', [11165]]]],
    // Both run as UID 0; the name comes from this machine's /etc/passwd.
    ['user', [['root', [11163, 11165]]]],
    // cat snapshots/node-many-mappings/proc/*/cgroup: only the v1 memory controller names a group.
    ['cgroup', [['/process_api/158ba7659ce034f766fb52e55500f356', [11163, 11165]]]],
  ])('--group %s', (groupBy, expected) => {
    const report = runJson(['--proc-root', NODE_TREE, '--group', groupBy]);
    expect(report.groupBy).toBe(groupBy);
    expect(report.groups.map((g: { name: string; pids: number[] }) => [g.name, g.pids])).toEqual(expected);
  });

  it('--pid picks processes of a tree', () => {
    expect(runJson(['--proc-root', NODE_TREE, '--pid', '11165']).groups.map((g: { name: string }) => g.name)).toEqual(['python3.11 shm_kinds.py']);
  });
});

describe('bad input: one line on stderr, exit 2, nothing on stdout', () => {
  it.each([
    [['--bogus'], /unknown option --bogus/],
    [['--top', '-3'], /--top: "-3" is not a positive whole number/],
    [['--top', 'abc'], /--top: "abc" is not a positive whole number/],
    [['--top', '0'], /--top: "0" is not a positive whole number/],
    [['--sort', 'bogus'], /--sort: "bogus" is not one of writable, /],
    [['--group', 'bogus'], /--group: "bogus" is not one of program, /],
    [['--json', '--csv'], /--json and --csv cannot be used together/],
    [['--pid', 'x'], /--pid: "x" is not a PID/],
    [['show', 'abc'], /show: "abc" is not a PID/],
    [['show'], /show needs <pid>: footprint show <pid>/],
  ])('%j', (args, message) => {
    const result = runCli(['--proc-root', NODE_TREE, ...args]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/^footprint: [^\n]+\n$/);
  });

  it.each([['/tmp'], ['/nonexistent/proc']])('--proc-root %s (not a /proc tree)', (dir) => {
    const result = runCli(['--proc-root', dir]);
    expect(result).toEqual({ status: 2, stdout: '', stderr: `footprint: --proc-root ${dir}: not a /proc tree (no readable meminfo)\n` });
  });
});

describe('pipes and terminals', () => {
  it('piping into head ends quietly', () => {
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" --proc-root "${NODE_TREE}" | head -1`], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toHaveLength(2);
  });

  it('a pipe closed before anything is written: exit 0, no stderr', () => {
    // `true` exits before node has started, so every write meets EPIPE.
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --proc-root "${NODE_TREE}" --json | true; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(result.stdout).toBe('0\n');
    expect(result.stderr).toBe('');
  });

  const inTerminal = (env: NodeJS.ProcessEnv) =>
    spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" --proc-root "${NODE_TREE}"`, '/dev/null'], { encoding: 'utf8', env });
  const noColorEnv = () => { const env = { ...process.env }; delete env.NO_COLOR; return env; };

  it('a terminal gets a bold header and its rule drawn with box-drawing dashes, and the same columns as a pipe (no box: it costs width)', () => {
    const result = inTerminal(noColorEnv());
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('\x1b[1mWritable');
    expect(result.stdout).toMatch(/\n─+\r?\n/);
    expect(result.stdout).not.toContain('│');
    const rule = /^[-─]+$/;
    const piped = runCli(['--proc-root', NODE_TREE], { env: noColorEnv() }).stdout.split('\n').filter((line) => !rule.test(line));
    const onTerminal = result.stdout.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '').split('\n').filter((line) => !rule.test(line));
    // The rows the two share (the scan's time differs): the same cells, at the same columns.
    expect(onTerminal.slice(0, 4)).toEqual(piped.slice(0, 4));
  });

  it('NO_COLOR: no escape sequence and no box drawing, even in a terminal', () => {
    const result = inTerminal({ ...noColorEnv(), NO_COLOR: '1' });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('\x1b');
    expect(result.stdout).not.toMatch(/[\u2500-\u257f]/);
    expect(result.stdout).toContain('Writable');
  });

  it('not a terminal: no escape sequence and no box drawing', () => {
    const result = runCli(['--proc-root', NODE_TREE], { env: noColorEnv() });
    expect(result.stdout).not.toContain('\x1b');
    expect(result.stdout).not.toMatch(/[\u2500-\u257f]/);
  });
});

describe('the off-Linux fallback, forced on Linux', () => {
  const env = { ...process.env, NO_COLOR: '1', FOOTPRINT_RSS_ONLY: '1' };

  it('text says it is RSS only', () => {
    const result = runCli(['--top', '3'], { env });
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0].trim().split(/\s+/)).toEqual(['RSS', 'Program']);
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines[4]).toBe('RSS only: this system has no /proc/PID/smaps, so shared pages count in every process that maps them; writable memory is unknown.');
  });

  it('--json has source "rss-only", only RSS filled in', () => {
    const result = runCli(['--top', '2', '--json'], { env });
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.schema).toBe('footprint.report/1');
    expect(report.source).toBe('rss-only');
    expect(report.groups).toHaveLength(2);
    expect(report.groups[0].rss).toBeGreaterThanOrEqual(report.groups[1].rss);
    for (const g of report.groups) {
      expect(Number.isSafeInteger(g.rss) && g.rss > 0).toBe(true);
      expect(g.writable).toBe(0);
    }
    expect(report.scan.seen).toBe(report.scan.measured + report.scan.gone);
  });
});

describe('a bare `footprint` (no arguments: yargs is not loaded)', () => {
  it('prints the same report as one that spells out every default', () => {
    const bare = runCli([]);
    const spelled = runCli(['--group', 'program', '--sort', 'writable', '--units', 'auto']);
    for (const run of [bare, spelled]) {
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
    }
    const shape = (text: string) => {
      const lines = text.trimEnd().split('\n');
      const system = lines.findIndex((line) => line.startsWith('System: '));
      // Column widths follow the widest figure, which two live scans need not share: compare the headings.
      return { header: lines[0].trim().split(/ {2,}/), footer: [lines[system - 1]?.slice(0, 10), lines[system]?.slice(0, 8)] };
    };
    expect(shape(bare.stdout)).toEqual(shape(spelled.stdout));
    expect(shape(bare.stdout).header).toEqual(['Writable', 'Private', 'Shared', 'RAM used', 'Program']);
    // footprint's own process is always left out of a live scan, so "Left out:" always leads.
    expect(shape(bare.stdout).footer).toEqual(['Left out: ', 'System: ']);
  });
});

describe('the bare report through its V8 code cache (dist/report.cjs)', () => {
  it('the cache the build wrote is accepted by this node', () => {
    const run = runCli([], { env: { ...process.env, NO_COLOR: '1', FOOTPRINT_DEBUG_STARTUP: '1' } });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('footprint: code cache accepted\nfootprint: arguments read by the report bundle\n');
  });

  it('a closed pipe ends it quietly (its ClosedPipe is a class of its own copy)', () => {
    // `true` exits before the scan ends, so the first write meets EPIPE.
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" | true; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(result.stdout).toBe('0\n');
    expect(result.stderr).toBe('');
  });
});
