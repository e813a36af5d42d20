/**
 * Live: `footprint run` over programs of scripted, exact memory use
 * (test/fixtures/memscript.c reports its own Private_Dirty at each step), its
 * exit statuses, the signals it passes on, and its page faults against GNU time's.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AS_NOBODY, fixtureBinary } from '../helpers/liveProcesses.js';
import { assertBuilt, FOOTPRINT_HOME, homeForNobody, removeNobodyCopy, FOOTPRINT_BIN } from '../helpers/runFootprint.js';
import { whileStable } from '../helpers/stableRead.js';
import { tempDir } from '../helpers/tempPaths.js';

const MiB = 1024 * 1024;
/** A time as footprint prints it: 340 ms, or 1.04 s from a second on (a loaded machine gets there). */
const DURATION = '(?:\\d+ ms|\\d+\\.\\d\\d s)';
let memscript: string;
let dir: string;

beforeAll(() => {
  assertBuilt();
  memscript = fixtureBinary('memscript');
  dir = tempDir('footprint-run-');
  // Sticky and world-writable, like /tmp: the run as nobody writes its document here too.
  chmodSync(dir, 0o1777);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeNobodyCopy();
});

interface RunDoc {
  schema: string; command: string[]; exitCode: number | null; signal: string | null; wallMs: number; userMs: number; sysMs: number;
  peak: { writable: number; ram: number; rss: number; ms: number; processes: number };
  end: { writable: number; ram: number }; faults: { minor: number; major: number }; processesSeen: number; intervalMs: number;
  samples: { ms: number; writable: number; private: number; shared: number; ram: number; swap: number; processes: number }[];
  marks: { ms: number; text: string; writable?: number; change?: number }[];
}

let runs = 0;

/** footprint run --json FILE ARGS -- COMMAND, as a child process; its stdout is CMD's. */
function footprintRun(command: string[], args: string[] = [], prefix: string[] = [], home = FOOTPRINT_HOME) {
  const json = join(dir, `run-${++runs}.json`);
  const result = spawnSync(prefix.length > 0 ? prefix[0] : process.execPath,
    [...prefix.slice(1), ...(prefix.length > 0 ? [process.execPath] : []), join(home, 'bin', 'footprint.js'), 'run', '--json', json, ...args, '--', ...command],
    { encoding: 'utf8', timeout: 60_000, cwd: '/' });
  const doc = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) as RunDoc : undefined;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, doc };
}

/** The Private_Dirty memscript reported at each `r` step (after its two opening reports), by PID. */
function reports(stdout: string): { pid: number; bytes: number }[] {
  return [...stdout.matchAll(/^report (\d+) (\d+)$/gm)].map((m) => ({ pid: Number(m[1]), bytes: Number(m[2]) }));
}

describe('footprint run: memory of scripted programs, exact', () => {
  test('write 64 MiB, free it, write 16 MiB: the peak and the end are what the program held', () => {
    const run = footprintRun([memscript, 'w64', 'r', 's400', 'u', 'w16', 'r', 's400']);
    expect(run.status).toBe(0);
    const [, , held64, held16] = reports(run.stdout);
    expect(held64.bytes - held16.bytes).toBe(48 * MiB);
    const doc = run.doc!;
    expect(doc.schema).toBe('footprint.run/1');
    expect(doc.command).toEqual([memscript, 'w64', 'r', 's400', 'u', 'w16', 'r', 's400']);
    expect([doc.exitCode, doc.signal]).toEqual([0, null]);
    expect(doc.peak).toMatchObject({ writable: held64.bytes, processes: 1 });
    expect(doc.end.writable).toBe(held16.bytes);
    expect(doc.processesSeen).toBe(1);
    expect(doc.intervalMs).toBe(20);
    // The 800 ms of holding alone span tens of samples, in time order, the peak among them.
    expect(doc.samples.length).toBeGreaterThanOrEqual(10);
    expect(doc.samples.map((s) => s.ms)).toEqual([...doc.samples.map((s) => s.ms)].sort((a, b) => a - b));
    expect(doc.samples).toContainEqual(expect.objectContaining({ ms: doc.peak.ms, writable: held64.bytes }));
    expect(doc.wallMs).toBeGreaterThanOrEqual(800);
    // CMD's stdout is its own: the summary went to stderr.
    expect(run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('report '))).toEqual([]);
    expect(run.stderr).toMatch(/^footprint: \S+memscript w64 r s400 u w16 r s400 exited with 0 after /);
    expect(run.stderr).toContain('Peak writable');
    expect(run.stderr).toContain('^ peak ');
  });

  test('three children of 32 MiB at once: the tree is summed, four processes at the peak', async () => {
    // While the children hold their memory, the test reads the four rollups itself: the parent's
    // pages are shared with its children then (copy on write), so only a read of that moment is exact.
    const json = join(dir, 'children.json');
    const child = spawn(process.execPath, [FOOTPRINT_BIN, 'run', '--json', json, '--', memscript, 'c3,32,1500'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const ended = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    let stdout = '';
    const pids = await new Promise<number[]>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const all = reports(stdout);
        if (all.length === 2 + 3) resolve([...new Set(all.map((each) => each.pid))]);
      });
    });
    const { rollups } = whileStable(pids, () => undefined);
    expect(await ended).toBe(0);
    const doc = JSON.parse(readFileSync(json, 'utf8')) as RunDoc;
    expect(doc.peak.processes).toBe(4);
    expect(doc.peak.writable).toBe(rollups.reduce((sum, rollup) => sum + rollup.Private_Dirty, 0));
    expect(doc.peak.writable).toBeGreaterThan(3 * 32 * MiB);
    expect(doc.processesSeen).toBe(4);
  });

  test('twenty short children in a row: their page faults count, as GNU time counts them', () => {
    const script = [memscript, 'q20,1', 'w8'];
    const ours = footprintRun(script).doc!;
    const gnu = spawnSync('/usr/bin/time', ['-f', '%R %F', ...script], { encoding: 'utf8' });
    expect(gnu.status).toBe(0);
    const [minor, major] = gnu.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    // Each child touches 256 pages, the parent 2048 more: all of them are in both.
    expect(minor).toBeGreaterThan(20 * 256 + 2048);
    // Node's spawn runs a little of its own code between fork and exec, which GNU time's fork does not.
    expect(Math.abs(ours.faults.minor - minor)).toBeLessThanOrEqual(100);
    expect(ours.faults.major).toBe(major);
  });

  test('stdin reaches the command untouched', () => {
    const result = spawnSync(process.execPath, [FOOTPRINT_BIN, 'run', '--', 'cat'], {
      encoding: 'utf8', input: 'one\ntwo\n', timeout: 30_000,
    });
    expect([result.status, result.stdout]).toEqual([0, 'one\ntwo\n']);
    expect(result.stderr).toMatch(/^footprint: cat exited with 0 after /);
  });

  test('as user nobody: it measures what it started', () => {
    const run = footprintRun([memscript, 'w8', 'r', 's400'], [], AS_NOBODY, homeForNobody());
    expect(run.status).toBe(0);
    expect(run.doc!.peak.writable).toBe(reports(run.stdout)[2].bytes);
  });
});

type MappingsDoc = RunDoc & { peakMappings: { pid: number; name: string; ms: number; treeWritable: number; mappings: { name: string; writable: number }[] } };

describe('footprint run --mappings', () => {
  test('says where the process holding the most writable memory had it at the peak', () => {
    const run = footprintRun([memscript, 'w32', 'r', 's400'], ['--mappings']);
    expect(run.status).toBe(0);
    const [, , held] = reports(run.stdout);
    const doc = run.doc as MappingsDoc;
    const at = doc.peakMappings;
    // Read at the peak: with the sample that reached it, or (when the climb's reads were spaced out) with the
    // sample the probe called for where the climb stopped, at the same figure.
    expect([at.pid, at.name, at.treeWritable, doc.peak.writable]).toEqual([held.pid, 'memscript', held.bytes, held.bytes]);
    expect(at.ms).toBeGreaterThanOrEqual(doc.peak.ms);
    expect(at.mappings[0].name).toBe('[anonymous]');
    expect(at.mappings[0].writable).toBeGreaterThanOrEqual(32 * MiB);
    expect(at.mappings.reduce((sum, mapping) => sum + mapping.writable, 0)).toBeLessThanOrEqual(held.bytes);
    expect(run.stderr).toMatch(new RegExp(`At the peak +PID ${held.pid} \\(memscript\\), read at ${DURATION}: \\[anonymous\\] `));
  });
});

describe('footprint run --mark', () => {
  test("lines of CMD's stdout and stderr that match are marks, in order, at the moment they came; the output is passed on unchanged", () => {
    const script = [memscript, 's100', 'mstep A', 'w32', 's400', 'mstep B', 'w32', 's400', 'estep C', 's400', 'u', 's100'];
    const run = footprintRun(script, ['--mark', '^step [A-C]$']);
    expect(run.status).toBe(0);
    const base = reports(run.stdout)[1].bytes;
    expect(run.stdout.split('\n').filter((line) => !line.startsWith('report '))).toEqual(['step A', 'step B', '']);
    expect(run.stderr).toMatch(/^step C\nfootprint: /);
    const doc = run.doc!;
    expect(doc.marks.map((mark) => mark.text)).toEqual(['step A', 'step B', 'step C']);
    const [a, b, c] = doc.marks.map((mark) => mark.ms);
    expect(a).toBeLessThan(b);
    expect(b).toBeLessThan(c);
    expect(c).toBeLessThanOrEqual(doc.wallMs);
    // B is printed after the first 32 MiB are written, C after the second: a sample taken after a
    // mark came sees at least what was written before it.
    // (A sample of the exiting process, a zombie, measures no process: it says nothing here.)
    const after = (ms: number) => doc.samples.filter((sample) => sample.ms >= ms && sample.processes > 0);
    for (const sample of after(b)) expect(sample.writable).toBeGreaterThanOrEqual(base + 32 * MiB);
    expect(Math.max(...after(c).map((sample) => sample.writable))).toBeGreaterThanOrEqual(base + 64 * MiB);
    // The marks table: label, time, the tree's writable memory at the mark and its change, the line.
    const [ma, mb, mc] = doc.marks;
    expect(mb.change).toBe(mb.writable! - ma.writable!);
    expect(mc.change).toBe(mc.writable! - mb.writable!);
    // A's change is from the run's first sample: 0 B when that sample came as late as the mark (a loaded machine).
    expect(run.stderr).toMatch(new RegExp(`\n {2}Marks\n {6,}time +writable +change {2}line\n {2}1 +${DURATION} +[\\d.]+ [KM]iB +(?:\\+[\\d.]+ [KM]iB|0 B) {2}step A\n`
      + ` {2}2 +${DURATION} +[\\d.]+ MiB +\\+[\\d.]+ MiB {2}step B\n {2}3 +${DURATION} +[\\d.]+ MiB +[+-]?[\\d.]+ [KM]iB {2}step C\n$`));
  });

  test('a bad --mark is a usage error', () => {
    const result = spawnSync(process.execPath, [FOOTPRINT_BIN, 'run', '--mark', '(', '--', 'true'], { encoding: 'utf8' });
    // RE2's own message (re2js).
    expect([result.status, result.stderr]).toEqual([2, 'footprint: --mark: error parsing regexp: missing closing ): `(`\n']);
  });
});

describe('footprint run: exit statuses', () => {
  test.each([
    [['sh', '-c', 'exit 7'], 7, 7, null],
    [['sh', '-c', 'kill -KILL $$'], 137, null, 'SIGKILL'],
    [['sh', '-c', 'kill -TERM $$'], 143, null, 'SIGTERM'],
  ])('%j: exit %i', (command, status, exitCode, signal) => {
    const run = footprintRun(command as string[]);
    expect(run.status).toBe(status);
    expect([run.doc!.exitCode, run.doc!.signal]).toEqual([exitCode, signal]);
  });

  test.each([
    [['/nonexistent/command'], 127, 'footprint: cannot run /nonexistent/command: command not found\n'],
    [['/etc/passwd'], 126, 'footprint: cannot run /etc/passwd: permission denied\n'],
    // As a shell says it: an empty name is no command (Node would throw its own ERR_INVALID_ARG_VALUE).
    [[''], 127, "footprint: cannot run '': command not found\n"],
    [['', 'x'], 127, "footprint: cannot run '': command not found\n"],
    // Node throws these (not an 'error' event): still the shell's 126 and one line.
    [['/etc/passwd/x'], 126, 'footprint: cannot run /etc/passwd/x: not a directory\n'],
    // A name is shown escaped, never raw.
    [['no-such-\x1b[31mcommand'], 127, 'footprint: cannot run no-such-\\e[31mcommand: command not found\n'],
  ])('%j: exit %i, one line, no document', (command, status, stderr) => {
    const run = footprintRun(command);
    expect([run.status, run.stdout, run.stderr, run.doc]).toEqual([status, '', stderr, undefined]);
  });

  test('no command: a usage error', () => {
    const result = spawnSync(process.execPath, [FOOTPRINT_BIN, 'run'], { encoding: 'utf8' });
    expect([result.status, result.stdout, result.stderr]).toEqual([2, '', 'footprint: run: no command given (footprint run [options] -- CMD [ARGS...])\n']);
  });

  test.each([
    [['--interval', '5ms', '--units', 'MiB', '--', 'true'], 0, 'the run bundle', null],
    [['--units', 'MiB', 'true'], 0, 'yargs', null],
    [['--bogus', '--', 'true'], 2, 'yargs', 'footprint: run: unknown option --bogus (footprint run --help lists them)\n'],
    [['--units', 'XB', '--', 'true'], 2, 'yargs', 'footprint: --units: "XB" is not one of auto, B, KiB, MiB, GiB\n'],
  ])('run %j: exit %i, arguments read by %s, errors as yargs words them', (args, status, reader, stderr) => {
    const result = spawnSync(process.execPath, [FOOTPRINT_BIN, 'run', ...args], {
      encoding: 'utf8', env: { ...process.env, FOOTPRINT_DEBUG_STARTUP: '1' },
    });
    expect(result.status).toBe(status);
    // run's bundle is loaded first, through its code cache, which says whether V8 took it.
    const [cache, ...rest] = result.stderr.split('\n');
    expect(cache).toBe('footprint: code cache accepted');
    expect(rest[0]).toBe(`footprint: arguments read by ${reader}`);
    if (stderr !== null) expect(rest.join('\n')).toBe(`footprint: arguments read by ${reader}\n${stderr}`);
  });

  test('a bad --interval: a usage error', () => {
    const result = spawnSync(process.execPath, [FOOTPRINT_BIN, 'run', '--interval', 'soon', '--', 'true'], { encoding: 'utf8' });
    expect([result.status, result.stderr]).toEqual([2, 'footprint: --interval: "soon" is not a duration (examples: 100ms, 2s, 5m, 1h)\n']);
  });
});

describe('footprint run: signals sent to footprint reach the command', () => {
  test.each([['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const)('%s: the command ends by it, the summary still comes, exit %i', async (signal, status) => {
    const child = spawn(process.execPath, [FOOTPRINT_BIN, 'run', '--', memscript, 's60000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // footprint's own end ('exit'): memscript shares its stdout, and would hold 'close' back if it lived on.
    const ended = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    // memscript's opening reports say it runs; then footprint is signalled.
    const pid = await new Promise<number>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const first = reports(stdout);
        if (first.length >= 2) resolve(first[0].pid);
      });
    });
    child.kill(signal);
    try {
      expect(await ended).toBe(status);
      // The summary is on stderr before footprint exits; let the pipe deliver the rest of it.
      await new Promise<void>((resolve) => (child.stderr.readableEnded ? resolve() : child.stderr.once('end', () => resolve())));
      expect(stderr).toMatch(new RegExp(`^footprint: \\S+memscript s60000 was killed by ${signal} after `));
      expect(existsSync(`/proc/${pid}`)).toBe(false);
    } finally {
      // Should it have outlived footprint, memscript is ended here, by its PID (if the PID is still memscript's).
      try {
        if (readlinkSync(`/proc/${pid}/exe`) === memscript) process.kill(pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
  });
});
