/**
 * Names kept from scan to scan (scan/knownNames.ts): a repeated scan reads a
 * process's exe and command line once, and again only when its stat says it
 * exec'd (execMarks), when they are a while old, or when a grouping wants a
 * command line that was not read. Real processes; reads counted through the
 * reader's recorder, which sees every file and link the scan reads.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { execMarks } from '../../src/kernel/procfs/stat.js';
import { ProcReader } from '../../src/kernel/procReader.js';
import { KnownNames, NAMES_RECHECK_MS } from '../../src/scan/knownNames.js';
import { scanProcesses, type ScanOptions } from '../../src/scan/scanProcesses.js';
import { needsCommandLine } from '../../src/reduce/programName.js';
import { snapshotText } from '../helpers/snapshots.js';
import { until } from '../helpers/until.js';

describe('execMarks', () => {
  it("gives stat's code, stack and argument addresses (fields 26-28, 48-49), counted after a name that may hold spaces", () => {
    expect(execMarks(snapshotText('kernel-thread', '11230/stat'))).toBe('94264217874432 94264217892361 140720784587312 140720784595443 140720784595462');
    const hostile = snapshotText('hostile-names', '11302/stat'); // comm "a) (b c) R 1 2"
    const fields = hostile.slice(hostile.lastIndexOf(')') + 2).trim().split(' ');
    expect(execMarks(hostile)).toBe([fields[23], fields[24], fields[25], fields[45], fields[46]].join(' '));
  });

  it('gives nothing where the kernel shows zeros (a kernel thread; a process the reader may not ptrace) or the line is short', () => {
    expect(execMarks(snapshotText('kernel-thread', '2/stat'))).toBeUndefined();
    expect(execMarks('1 (sleep) S 1 11152 7052 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 1 0 89259 0 421')).toBeUndefined();
  });
});

/** python3's own binary, not a launcher that execs it (pyenv's shims are shell scripts). */
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

/** A python3 that, given a line on stdin, execs python3 again with other arguments: same exe, same name, same PID and start time. */
function startExecing(): ChildProcess {
  const script = 'import os, sys\nsys.stdin.readline()\nos.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)", "after-exec"])\n';
  return spawn(PYTHON, ['-c', script, 'before-exec'], { stdio: ['pipe', 'ignore', 'inherit'] });
}

describe('KnownNames in a repeated scan', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  });

  /** One scan of these PIDs, with the names kept in `known`; which of their exe links and command lines it read. */
  function scan(known: KnownNames, pids: number[], options: Partial<ScanOptions> = {}) {
    const reads: string[] = [];
    const reader = new ProcReader('/proc', (relative) => reads.push(relative));
    known.beginScan();
    const result = scanProcesses(reader, { estimate: false, cgroups: false, oomScores: false, pids, needsCmdline: needsCommandLine, knownNames: known, ...options });
    return { samples: result.samples, named: reads.filter((relative) => relative.endsWith('/exe') || relative.endsWith('/cmdline')).sort() };
  }

  it('reads names once, keeps them while the process is the same, and reads them again after an exec that changes neither exe nor name', async () => {
    const child = startExecing();
    children.push(child);
    const pid = child.pid!;
    await until('python3 running its script', () => (readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('before-exec') ? true : undefined), 10_000);
    const known = new KnownNames();

    const first = scan(known, [pid]);
    expect(first.named).toEqual([`${pid}/cmdline`, `${pid}/exe`]);
    expect(first.samples[0].cmdline).toContain('before-exec');
    const second = scan(known, [pid]);
    expect(second.named).toEqual([]);
    expect(second.samples[0]).toMatchObject({ exe: first.samples[0].exe, cmdline: first.samples[0].cmdline, statusName: first.samples[0].statusName });
    expect(known.size).toBe(1);

    child.stdin!.write('go\n');
    // The script's own text names after-exec too: the exec is done once before-exec is gone.
    await until('the exec', () => (readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('before-exec') ? undefined : true), 10_000);
    const third = scan(known, [pid]);
    expect(third.samples[0].statusName).toBe(first.samples[0].statusName); // the same name: only the marks tell
    expect(third.named).toEqual([`${pid}/cmdline`, `${pid}/exe`]);
    expect(third.samples[0].cmdline).toContain('after-exec');
  });

  it('reads names again once they are NAMES_RECHECK_MS old, when a command line is wanted that was not read, and forgets what a scan did not see', async () => {
    const child = spawn('sleep', ['600'], { stdio: 'ignore' });
    children.push(child);
    const pid = child.pid!;
    await until('sleep running', () => (readFileSync(`/proc/${pid}/cmdline`, 'latin1').startsWith('sleep') ? true : undefined), 10_000);
    let now = 1_000_000;
    const known = new KnownNames(() => now);
    // sleep is no interpreter: its command line is not wanted, so not read.
    expect(scan(known, [pid]).named).toEqual([`${pid}/exe`]);
    now += NAMES_RECHECK_MS - 1;
    expect(scan(known, [pid]).named).toEqual([]);
    now += 1;
    expect(scan(known, [pid]).named).toEqual([`${pid}/exe`]);
    // --group cmdline wants every command line: read, though the rest is kept.
    expect(scan(known, [pid], { needsCmdline: undefined }).named).toEqual([`${pid}/cmdline`, `${pid}/exe`]);
    expect(scan(known, [pid], { needsCmdline: undefined }).named).toEqual([]);
    scan(known, [process.pid]);
    expect(known.size).toBe(1); // only this process now: sleep was not in that scan
    expect(scan(known, [pid], { needsCmdline: undefined }).named).toEqual([`${pid}/cmdline`, `${pid}/exe`]);
  });
});
