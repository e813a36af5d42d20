/**
 * Live: finding programs by pattern and by name, on processes this test
 * starts: copies of memscript under names of their own (the group key is the
 * exe's name) and a Python script of a name of its own. `--match` on the
 * report, watch (machine mode, a process started after it began), history
 * and diff (on reports `footprint save` writes here), export and serve;
 * `--program` without the script; and exit 1 with one line on stderr for a
 * filter that matches nothing, in each.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { AS_NOBODY, fixtureBinary, stopChildren } from '../helpers/liveProcesses.js';
import { assertBuilt, footprintAsNobody, removeNobodyCopy, FOOTPRINT_BIN } from '../helpers/runFootprint.js';
import { startServe } from '../helpers/serveProcess.js';
import { tempDir } from '../helpers/tempPaths.js';

const BIN = FOOTPRINT_BIN;
// Names no other process on the machine has: lower-case letters, so no pattern character.
const TOKEN = `fpm${randomBytes(4).toString('hex').replace(/[0-9]/g, (digit) => 'ghijklmnop'[Number(digit)])}`;
const ALPHA = `${TOKEN}alpha`;
const BETA = `${TOKEN}beta`;
const SCRIPT = `${TOKEN}.py`;
let dir: string;
const started: ChildProcess[] = [];

beforeAll(() => {
  assertBuilt();
  dir = tempDir('footprint-match-');
  chmodSync(dir, 0o755);
  const memscript = fixtureBinary('memscript');
  for (const name of [ALPHA, BETA]) {
    copyFileSync(memscript, join(dir, name));
    chmodSync(join(dir, name), 0o755);
  }
  // It writes 6 MiB, says so, and waits to be ended.
  writeFileSync(join(dir, SCRIPT), [
    'import sys, time',
    'held = bytearray(6 * 1024 * 1024)',
    'for i in range(0, len(held), 4096): held[i] = 1',
    "print('ready', flush=True)",
    'time.sleep(600)',
  ].join('\n'));
  spawnSync('sync');
});

afterEach(async () => {
  await stopChildren(started, 'SIGKILL');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeNobodyCopy();
});

/** Resolves once `child` has printed a line matching `ready` on stdout. */
function whenReady(child: ChildProcess, ready: RegExp, what: string): Promise<void> {
  let out = '';
  return new Promise((resolve, reject) => {
    const early = (code: number | null) => reject(new Error(`${what} exited (${code}) before it was ready`));
    child.once('exit', early);
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (!ready.test(out)) return;
      child.off('exit', early);
      child.stdout!.off('data', onData);
      resolve();
    };
    child.stdout!.on('data', onData);
  });
}

/** A memscript copy that writes `mib` MiB, with `marker` on its command line (a step that prints it), and waits. */
async function startCopy(name: string, mib: number, marker = 'm-'): Promise<number> {
  const child = spawn(join(dir, name), [`w${mib}`, 'r', marker, 's600000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  await whenReady(child, /^report \d+ \d+\n(.|\n)*^report \d+ \d+$/m, name);
  return child.pid!;
}

async function startScript(prefix: string[] = []): Promise<number> {
  // /usr/bin/python3 itself: root's PATH may find a shim first (pyenv) that nobody cannot run.
  const command = [...prefix, '/usr/bin/python3', join(dir, SCRIPT)];
  const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'], cwd: '/' });
  started.push(child);
  await whenReady(child, /^ready$/m, SCRIPT);
  return child.pid!;
}

function footprint(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, cwd: '/', env: { ...process.env, COLUMNS: '200' } });
}

/** pgrep's habit: exit 1, nothing on stdout, one line on stderr. */
function expectNoMatch(result: ReturnType<typeof footprint>, line: string): void {
  expect([result.status, result.stdout, result.stderr]).toEqual([1, '', `${line}\n`]);
}

const groupNames = (report: { groups: { name: string }[] }) => report.groups.map((group) => group.name).sort();

describe('the report', () => {
  test('--match keeps the groups whose name or command line matches; the total and the System block stay the machine\'s', async () => {
    const [alpha, beta] = [await startCopy(ALPHA, 4), await startCopy(BETA, 2, `m--label=${TOKEN}x`)];
    const report = JSON.parse(footprint(['--json', '--match', TOKEN]).stdout);
    expect(groupNames(report)).toEqual([ALPHA, BETA]);
    expect(report.match).toBe(TOKEN);
    expect(report.groups.find((group: { name: string }) => group.name === ALPHA).pids).toEqual([alpha]);
    // The totals are the machine's: footprint's own parent (jest, node) is in them, and in no matched group.
    expect(report.totals.writable).toBeGreaterThan(report.groups.reduce((sum: number, group: { writable: number }) => sum + group.writable, 0));
    // By the command line alone: the marker is an argument of beta's, in no group's name.
    const byArgument = JSON.parse(footprint(['--json', '--match', `label=${TOKEN}x`]).stdout);
    expect(byArgument.groups.map((group: { name: string; pids: number[] }) => [group.name, group.pids])).toEqual([[BETA, [beta]]]);
    // Anchors and RE2 syntax: only alpha's name ends in "alpha".
    expect(groupNames(JSON.parse(footprint(['--json', '--match', `^${TOKEN}a.*a$`]).stdout))).toEqual([ALPHA]);

    const text = footprint(['--match', TOKEN]);
    expect(text.status).toBe(0);
    const rows = text.stdout.split('\n').filter((line) => line.includes(TOKEN) && !line.startsWith('--match'));
    expect(rows.map((row) => row.trim().split(/\s+/).slice(-2).join(' ')).sort()).toEqual([`${ALPHA} (1)`, `${BETA} (1)`]);
    expect(text.stdout).toMatch(new RegExp(`^--match ${TOKEN}: 2 of \\d+ groups \\(2 processes\\) listed; the total line is the whole machine's\\.$`, 'm'));
    expect(text.stdout).toMatch(/^System: /m);
  });

  test('a filter that matches nothing (--match, -p) exits 1 with one line on stderr and nothing on stdout, JSON too', () => {
    expectNoMatch(footprint(['--match', `${TOKEN}none`]), `footprint: no process matched --match ${TOKEN}none`);
    expectNoMatch(footprint(['--match', `${TOKEN}none`, '--json']), `footprint: no process matched --match ${TOKEN}none`);
    expectNoMatch(footprint(['-p', '99999999']), 'footprint: no process matched -p 99999999 (no such process: PID 99999999)');
    expectNoMatch(footprint(['-p', '99999999', '--csv']), 'footprint: no process matched -p 99999999 (no such process: PID 99999999)');
    // A kernel thread: seen, and no user memory.
    expectNoMatch(footprint(['-p', '2']), 'footprint: no process matched -p 2 (a kernel thread or zombie, which holds no user memory)');
  });

  test('a pattern RE2 refuses is a usage error (exit 2); a pattern that would backtrack for ever is matched in linear time', () => {
    const bad = footprint(['--match', '(a']);
    expect([bad.status, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toBe('footprint: --match: error parsing regexp: missing closing ): `(a`\n');
    const started = Date.now();
    expect(footprint(['--match', '(x+x+)+y', '--json']).status).toBe(1);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('watch, the whole machine', () => {
  test('--match: the matching groups at each scan, a process started after watch began among them', async () => {
    await startCopy(ALPHA, 3);
    const child = spawn(process.execPath, [BIN, 'watch', '--match', TOKEN, '--json', '--interval', '200ms', '--duration', '10m'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
    started.push(child);
    const reports: { groups: { name: string }[]; match: string }[] = [];
    let out = '';
    let sawBoth!: () => void;
    const both = new Promise<void>((resolve) => { sawBoth = resolve; });
    let first!: () => void;
    const firstOne = new Promise<void>((resolve) => { first = resolve; });
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      let newline;
      while ((newline = out.indexOf('\n')) >= 0) {
        const report = JSON.parse(out.slice(0, newline));
        out = out.slice(newline + 1);
        reports.push(report);
        first();
        if (report.groups.length === 2) sawBoth();
      }
    });
    await firstOne;
    expect(groupNames(reports[0])).toEqual([ALPHA]);
    expect(reports[0].match).toBe(TOKEN);
    await startCopy(BETA, 2);
    await both;
    expect(groupNames(reports[reports.length - 1])).toEqual([ALPHA, BETA]);
  });

  test('--match that matches nothing at the start: exit 1 and one line', () => {
    expectNoMatch(footprint(['watch', '--match', `${TOKEN}none`, '--count', '1']), `footprint: no process matched --match ${TOKEN}none (--wait waits for one)`);
  });

  test('--match with a PID is a usage error', () => {
    expect(footprint(['watch', '1', '--match', 'x']).status).toBe(2);
  });
});

describe('watch --program: by the name without its script, or the script alone', () => {
  test('python3, the script alone, and the exact group name all watch the script; the header names what was found', async () => {
    const pid = await startScript();
    const key = JSON.parse(footprint(['--json', '-p', String(pid)]).stdout).groups[0].name as string;
    expect(key).toMatch(new RegExp(`^python3[0-9.]* ${TOKEN}\\.py$`));
    for (const name of [SCRIPT, key]) {
      const lines = footprint(['watch', '--program', name, '--count', '1', '--json']).stdout.trim().split('\n').map((line) => JSON.parse(line));
      expect(lines[0].processes).toBe(1);
      expect(lines[1].target).toEqual({ program: name });
    }
    const python = footprint(['watch', '--program', 'python3', '--count', '1']);
    expect(python.status).toBe(0);
    // Every Python program running is watched: this test's script among them.
    expect(python.stdout.split('\n')[0]).toMatch(new RegExp(`^Watching program python3 \\(.*${key.replace('.', '\\.')}.*\\) every `));
    const none = footprint(['watch', '--program', `${TOKEN}none.py`, '--count', '1']);
    expect([none.status, none.stderr]).toEqual([1, `footprint: watch: no process of program "${TOKEN}none.py" is running (footprint's report names programs; --wait waits for one)\n`]);
  });
});

describe('history and diff, on reports footprint save wrote', () => {
  test('--match filters the rows; --program takes the name without its script; no match exits 1', async () => {
    await startCopy(ALPHA, 3);
    await startScript();
    const store = join(dir, 'store');
    expect(footprint(['save', '--dir', store]).status).toBe(0);
    await startCopy(BETA, 2);
    // Saved reports are named by the second: the second report must be a second later.
    const after = Date.now() + 1100;
    while (Date.now() < after) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(footprint(['save', '--dir', store]).status).toBe(0);

    const history = JSON.parse(footprint(['history', '--dir', store, '--match', `${TOKEN}(alpha|beta)`, '--json']).stdout);
    expect(history.series.map((series: { name: string }) => series.name).sort()).toEqual([ALPHA, BETA]);
    const script = JSON.parse(footprint(['history', '--dir', store, '--program', SCRIPT, '--json']).stdout);
    expect(script.series.map((series: { name: string }) => series.name)).toEqual([expect.stringMatching(new RegExp(`^python3[0-9.]* ${TOKEN}\\.py$`))]);
    const python = JSON.parse(footprint(['history', '--dir', store, '--program', 'python3', '--top', '50', '--json']).stdout);
    expect(python.series.map((series: { name: string }) => series.name)).toContain(script.series[0].name);
    expectNoMatch(footprint(['history', '--dir', store, '--match', `${TOKEN}none`]), `footprint: no group matched --match ${TOKEN}none in the reports of the last 30d`);
    expectNoMatch(footprint(['history', '--dir', store, '--program', `${TOKEN}none`, '--json']), `footprint: no group matched --program ${TOKEN}none in the reports of the last 30d`);

    const diff = JSON.parse(footprint(['diff', 'previous', 'latest', '--dir', store, '--match', TOKEN, '--all', '--json']).stdout);
    expect(diff.changes.map((change: { name: string; status: string }) => [change.name, change.status]).sort())
      .toEqual([[ALPHA, 'both'], [BETA, 'new'], [script.series[0].name, 'both']]);
    const text = footprint(['diff', 'previous', 'latest', '--dir', store, '--match', BETA]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(BETA);
    expect(text.stdout).not.toContain(ALPHA);
    expectNoMatch(footprint(['diff', 'previous', 'latest', '--dir', store, '--match', `${TOKEN}none`]), `footprint: no group matched --match ${TOKEN}none in either report`);
  });
});

describe('export and serve', () => {
  test('export --textfile: only the matching groups are series; no match writes nothing and exits 1', async () => {
    await startCopy(ALPHA, 3);
    await startCopy(BETA, 2);
    const file = join(dir, 'match.prom');
    const result = footprint(['export', '--textfile', file, '--match', `${TOKEN}al`, '--quiet']);
    expect([result.status, result.stderr]).toEqual([0, '']);
    const text = readFileSync(file, 'utf8');
    const programs = new Set([...text.matchAll(/^footprint_writable_bytes\{program="([^"]*)"\}/gm)].map((found) => found[1]));
    expect([...programs]).toEqual([ALPHA]);
    const none = join(dir, 'none.prom');
    expectNoMatch(footprint(['export', '--textfile', none, '--match', `${TOKEN}none`]), `footprint: no process matched --match ${TOKEN}none`);
    expect(existsSync(none)).toBe(false);
  });

  test('serve --match: a scrape has the matching groups only; a scrape with none is served (200), not an error', async () => {
    await startCopy(ALPHA, 3);
    await startCopy(BETA, 2);
    const serve = await startServe(started, ['--min-interval', '0', '--match', `${TOKEN}b`]);
    const body = await (await fetch(`${serve.url}/metrics`)).text();
    const programs = new Set([...body.matchAll(/^footprint_writable_bytes\{program="([^"]*)"\}/gm)].map((found) => found[1]));
    expect([...programs]).toEqual([BETA]);
    const empty = await startServe(started, ['--min-interval', '0', '--match', `${TOKEN}none`]);
    const response = await fetch(`${empty.url}/metrics`);
    expect(response.status).toBe(200);
    const emptyBody = await response.text();
    expect(emptyBody).not.toContain(TOKEN);
    expect(emptyBody).toMatch(/^footprint_scan_processes\{/m);
  });
});

describe('an estimated process keeps its program\'s name (issue 22, item 8)', () => {
  test('as nobody, root\'s run of a script is estimated under the name nobody\'s measured run of it has, marked', async () => {
    const mine = await startScript(AS_NOBODY);
    const roots = await startScript();
    const result = footprintAsNobody(['--estimate', '--json', '--match', TOKEN]);
    expect(result.status).toBe(0);
    const rows = JSON.parse(result.stdout).groups.map((group: { name: string; estimated: boolean; pids: number[] }) => [group.name, group.estimated, group.pids]);
    // Root's exe link is unreadable to nobody: its kernel name is python3, its exe's python3.11 (or whichever python3 is).
    const name = rows.find((row: unknown[]) => row[1] === false)[0];
    expect(name).toMatch(new RegExp(`^python3[0-9.]* ${TOKEN}\\.py$`));
    expect(rows.sort((a: unknown[], b: unknown[]) => Number(a[1]) - Number(b[1]))).toEqual([[name, false, [mine]], [name, true, [roots]]]);
  });
});
