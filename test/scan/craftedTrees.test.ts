/**
 * Crafted captured trees (issue 12): each test copies snapshots/hostile-names
 * (PIDs 11300, 11302, 11307), breaks one file of one process, and runs the built
 * CLI on it. A malformed process is left out as `malformed` with its reason;
 * the report goes on, exact for the rest. Before this, each of these failed the
 * whole report (exit 1), printed a rounded float, or hung forever (a FIFO).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, KIB, procRoot, runCli } from '../helpers/snapshots.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tempPaths.js';

/** Private_Dirty (kB) of each process: grep Private_Dirty snapshots/hostile-names/proc/*\/smaps_rollup. */
const WRITABLE_KB = { 11300: 3668, 11302: 3644, 11307: 108 };

let tree: string;
beforeEach(() => {
  tree = tempDir('footprint-crafted-');
  cpSync(procRoot('hostile-names'), tree, { recursive: true });
});
afterEach(() => rmSync(tree, { recursive: true, force: true }));

function edit(relative: string, change: (text: string) => string): void {
  const path = join(tree, relative);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

function fifo(relative: string): void {
  unlinkSync(join(tree, relative));
  const made = spawnSync('mkfifo', [join(tree, relative)]);
  expect(made.status).toBe(0);
}

/** --json on the tree; 15 s is far above its real time (~0.1 s) and far below "forever". */
function report(extra: string[] = []) {
  const result = spawnSync(process.execPath, [BIN, '--proc-root', tree, '--json', ...extra], {
    encoding: 'utf8', timeout: 15_000, env: { ...process.env, NO_COLOR: '1' },
  });
  expect(result.error).toBeUndefined();
  return { status: result.status, json: result.status === 0 ? JSON.parse(result.stdout) : undefined, stderr: result.stderr };
}

/**
 * The report without PID 11300: the two others measured, exactly, and the one
 * line that names what was wrong (a file refused before reading it: "cannot read ...").
 */
function expectLeftOut(result: ReturnType<typeof report>, stderr: string): void {
  const refused = stderr.includes(': not a regular file') || stderr.includes(': larger than');
  expect(result.status).toBe(0);
  const { scan, totals, groups } = result.json;
  expect([scan.seen, scan.measured, scan.malformed, scan.denied, scan.gone]).toEqual([3, 2, 1, 0, 0]);
  expect(totals.writable).toBe((WRITABLE_KB[11302] + WRITABLE_KB[11307]) * KIB);
  expect(groups.flatMap((group: { pids: number[] }) => group.pids).sort()).toEqual([11302, 11307]);
  expect(result.stderr).toBe(`footprint: 1 process left out as malformed; the first: ${refused ? 'cannot read ' : ''}${tree}/11300/${stderr}\n`);
}

const rollupLine = (key: string, line: string) => (text: string) => text.replace(new RegExp(`^${key}:.*$`, 'm'), line);

describe('a malformed smaps_rollup leaves its process out as malformed', () => {
  it.each([
    ['2^64 kB', 'Pss:            18446744073709551616 kB', 'smaps_rollup line 3: value of Pss is past 8796093022207 kB, more than any machine holds'],
    ['one kB past 2^53 bytes', 'Private_Dirty:  8796093022208 kB', 'smaps_rollup line 11: value of Private_Dirty is past 8796093022207 kB, more than any machine holds'],
    ['12x34', 'Pss:            12x34 kB', 'smaps_rollup line 3: value of Pss is not a number'],
    ['-99999', 'Pss:            -99999 kB', 'smaps_rollup line 3: value of Pss is not a number'],
  ])('%s', (_what, line, reason) => {
    edit('11300/smaps_rollup', rollupLine(line.slice(0, line.indexOf(':')), line));
    expectLeftOut(report(), reason);
  });

  it('without its Private_Dirty line (never a silent zero)', () => {
    edit('11300/smaps_rollup', rollupLine('Private_Dirty', ''));
    expectLeftOut(report(), 'smaps_rollup line 24: no Private_Dirty line');
  });

  it('without its Pss line', () => {
    edit('11300/smaps_rollup', (text) => text.split('\n').filter((line) => !line.startsWith('Pss:')).join('\n'));
    expectLeftOut(report(), 'smaps_rollup line 23: no Pss line');
  });

  it('empty', () => {
    writeFileSync(join(tree, '11300/smaps_rollup'), '');
    expectLeftOut(report(), 'smaps_rollup line 1: no Rss line');
  });

  it('a FIFO: refused at once, never waited on', () => {
    fifo('11300/smaps_rollup');
    expectLeftOut(report(), 'smaps_rollup: not a regular file');
  });

  it('1 GiB (sparse): refused by its size, not read', () => {
    truncateSync(join(tree, '11300/smaps_rollup'), 1024 ** 3);
    expectLeftOut(report(), 'smaps_rollup: larger than 1 MiB, more than the kernel writes');
  });
});

describe('sums stay exact integers', () => {
  it('two processes of 4 PiB each: the second would take the sums past 2^53 - 1 bytes, and is left out', () => {
    // 4398046511104 kB = 2^52 bytes, each within the bound; the two together, with their other lines, are past it.
    for (const pid of [11300, 11302]) edit(`${pid}/smaps_rollup`, rollupLine('Rss', 'Rss:            4398046511104 kB'));
    const result = report();
    expect(result.status).toBe(0);
    const { scan, totals, groups } = result.json;
    expect([scan.seen, scan.measured, scan.malformed]).toEqual([3, 2, 1]);
    expect(groups.flatMap((group: { pids: number[] }) => group.pids).sort()).toEqual([11300, 11307]);
    // Rss of 11307: grep Rss snapshots/hostile-names/proc/11307/smaps_rollup.
    expect(totals.rss).toBe(2 ** 52 + 1808 * KIB);
    for (const value of Object.values(totals)) expect(Number.isSafeInteger(value)).toBe(true);
    expect(result.stderr).toBe(`footprint: 1 process left out as malformed; the first: ${tree}/11302: figures that would take the report's sums past 9007199254740991 bytes\n`);
  });
});

describe('a malformed stat or status, a symlink loop', () => {
  it('a short stat', () => {
    edit('11300/stat', (text) => text.split(' ').slice(0, 12).join(' '));
    expectLeftOut(report(), 'stat line 1: too few fields');
  });

  it('a FIFO as stat', () => {
    fifo('11300/stat');
    expectLeftOut(report(), 'stat: not a regular file');
  });

  it('a FIFO as status, where the scan reads it (--group user)', () => {
    fifo('11300/status');
    expectLeftOut(report(['--group', 'user']), 'status: not a regular file');
  });

  it('a PID directory that is a symlink loop (ELOOP) is a reason, not a crash', () => {
    symlinkSync('11400', join(tree, '11400'));
    const result = report();
    expect(result.status).toBe(0);
    expect([result.json.scan.seen, result.json.scan.measured, result.json.scan.malformed]).toEqual([4, 3, 1]);
    expect(result.json.totals.writable).toBe((WRITABLE_KB[11300] + WRITABLE_KB[11302] + WRITABLE_KB[11307]) * KIB);
    // A link is never followed in a captured tree (loop or not): refused as what it is.
    expect(result.stderr).toBe(`footprint: 1 process left out as malformed; the first: cannot read ${tree}/11400/stat: 11400 is a symbolic link; a captured tree is read only inside itself\n`);
  });
});

describe('a crafted name file', () => {
  it('a FIFO as cmdline, where the scan reads it (--group cmdline)', () => {
    fifo('11300/cmdline');
    expectLeftOut(report(['--group', 'cmdline']), 'cmdline: not a regular file');
  });

  it('a regular file where the exe link belongs', () => {
    unlinkSync(join(tree, '11300/exe'));
    writeFileSync(join(tree, '11300/exe'), '/usr/bin/sleep');
    const result = report();
    expect(result.status).toBe(0);
    expect([result.json.scan.measured, result.json.scan.malformed]).toEqual([2, 1]);
    expect(result.stderr).toBe(`footprint: 1 process left out as malformed; the first: cannot read ${tree}/11300/exe: not a symbolic link\n`);
  });
});

describe('a tree without smaps_rollup (summed from smaps)', () => {
  it('a malformed smaps leaves its process out', () => {
    const smapsTree = tempDir('footprint-crafted-smaps-');
    try {
      cpSync(procRoot('no-smaps-rollup'), smapsTree, { recursive: true });
      const pids = readdirSync(smapsTree).filter((name) => /^\d+$/.test(name)).sort();
      const path = join(smapsTree, pids[0], 'smaps');
      writeFileSync(path, readFileSync(path, 'utf8').replace(/^Private_Dirty:.*$/m, 'Private_Dirty:  -99999 kB'));
      const result = spawnSync(process.execPath, [BIN, '--proc-root', smapsTree, '--json'], { encoding: 'utf8', timeout: 15_000 });
      expect(result.status).toBe(0);
      const { scan } = JSON.parse(result.stdout);
      expect([scan.seen, scan.measured, scan.malformed]).toEqual([pids.length, pids.length - 1, 1]);
      expect(result.stderr).toMatch(new RegExp(`^footprint: 1 process left out as malformed; the first: ${smapsTree}/${pids[0]}/smaps line \\d+: value of Private_Dirty is not a number\n$`));
    } finally {
      rmSync(smapsTree, { recursive: true, force: true });
    }
  });
});

describe('show PID, which is about that one process', () => {
  it('a FIFO as its smaps: one line and exit 1, at once', () => {
    fifo('11300/smaps');
    const result = spawnSync(process.execPath, [BIN, 'show', '11300', '--proc-root', tree], { encoding: 'utf8', timeout: 15_000 });
    expect(result.error).toBeUndefined();
    expect([result.status, result.stdout, result.stderr]).toEqual([1, '', `footprint: cannot read ${tree}/11300/smaps: not a regular file\n`]);
  });
});

describe('the machine\'s meminfo malformed: the whole report fails with one line', () => {
  it('a FIFO', () => {
    fifo('meminfo');
    const result = report();
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`footprint: --proc-root ${tree}: not a /proc tree (no readable meminfo)\n`);
  });

  it('a MemTotal of 2^64 kB', () => {
    edit('meminfo', rollupLine('MemTotal', 'MemTotal:       18446744073709551616 kB'));
    const result = report();
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`footprint: --proc-root ${tree}: not a /proc tree (no readable meminfo)\n`);
  });
});

describe('the reason shows where the other reasons do', () => {
  beforeEach(() => edit('11300/smaps_rollup', rollupLine('Pss', 'Pss:            12x34 kB')));

  it('on the Left out line', () => {
    const result = runCli(['--proc-root', tree]);
    expect(result.status).toBe(0);
    const footer = result.stdout.split('\n').find((line) => line.startsWith('Left out'));
    expect(footer).toMatch(/^Left out: 1 process malformed \(files that are not what the kernel writes\)\. 0 kernel threads and 0 zombies hold no user memory; 2 of 3 processes measured in \d+ ms\.$/);
  });

  it('serve, scraped again and again: the series at every scrape, the warning once', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve', '--listen', `127.0.0.1:${port}`, '--proc-root', tree], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk) => { err += chunk; });
    try {
      const deadline = Date.now() + 20_000;
      while (!err.includes('footprint serve: metrics on ')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve did not start: ${err}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (let scrape = 0; scrape < 3; scrape++) {
        const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        expect(body).toContain('\nfootprint_scan_processes{outcome="malformed"} 1\n');
      }
      const warning = `footprint: 1 process left out as malformed; the first: ${tree}/11300/smaps_rollup line 3: value of Pss is not a number\n`;
      expect(err.split(warning)).toHaveLength(2);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });

  it('in footprint_scan_processes{outcome="malformed"}', () => {
    const result = runCli(['export', '--proc-root', tree]);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('footprint_scan_processes{'))).toContain('footprint_scan_processes{outcome="malformed"} 1');
  });
});
