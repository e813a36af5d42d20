import { parsed, parseFailure, type Parsed } from './parseResult.js';

/** The fields of /proc/PID/stat that footprint uses. */
export interface ProcessStat {
  pid: number;
  /** The command name between the parentheses; untrusted, may hold any byte but NUL. */
  comm: string;
  /** One letter: R, S, D, Z (zombie), T, t, X, I, ... */
  state: string;
  ppid: number;
  /** Kernel task flags (field 9). */
  flags: number;
  /** Start time in clock ticks since boot (field 22): with the PID, it identifies a process. */
  startTime: number;
  /** Resident set size in pages (field 24): what the kernel keeps per process, read without walking page tables. */
  rssPages: number;
  /** Threads of the process (field 20), itself included: what /proc/loadavg's task count counts. */
  threads: number;
}

/** A stat field as a whole number: plain decimal digits within Number's exact range, else NaN. */
function wholeNumber(field: string | undefined): number {
  if (field === undefined || field.length === 0 || field.length > 16) return NaN;
  for (let i = 0; i < field.length; i++) {
    const code = field.charCodeAt(i);
    if (code < 48 || code > 57) return NaN;
  }
  const value = Number(field);
  return value <= Number.MAX_SAFE_INTEGER ? value : NaN;
}

/** PF_KTHREAD from include/linux/sched.h: the task is a kernel thread. */
const PF_KTHREAD = 0x00200000;

export function isKernelThread(stat: ProcessStat): boolean {
  return (stat.flags & PF_KTHREAD) !== 0;
}

export function parseStat(text: string): Parsed<ProcessStat> {
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  const open = line.indexOf(' (');
  // The name may itself contain ") ", so the last ')' closes it.
  const close = line.lastIndexOf(')');
  if (open <= 0 || close < open) return parseFailure('stat', 1, line, 'no "(comm)" field');
  const pid = Number(line.slice(0, open));
  const rest = line.slice(close + 2).split(' ');
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  if (!/^\d+$/.test(line.slice(0, open))) return parseFailure('stat', 1, line, 'PID is not a number');
  if (rest.length < 22) return parseFailure('stat', 1, line, 'too few fields');
  const ppid = wholeNumber(rest[1]);
  const flags = wholeNumber(rest[6]);
  const threads = wholeNumber(rest[17]);
  const startTime = wholeNumber(rest[19]);
  const rssPages = wholeNumber(rest[21]);
  // Number('') is 0 and Number('-5') is -5: each field must be plain digits, or the process is malformed.
  if (![ppid, flags, threads, startTime, rssPages].every(Number.isSafeInteger)) return parseFailure('stat', 1, line, 'non-numeric field');
  if (pid > Number.MAX_SAFE_INTEGER || rest[0].length !== 1) return parseFailure('stat', 1, line, 'bad PID or state');
  return parsed({ pid, comm: line.slice(open + 2, close), state: rest[0], ppid, flags, startTime, rssPages, threads });
}

/**
 * The kernel's accounting fields of /proc/PID/stat (10-17): page faults and CPU
 * time in clock ticks (USER_HZ, 100 per second on Linux), of the process and of
 * its children that it has waited for (the c* fields: every reaped descendant,
 * as wait4's rusage reports them to GNU time).
 */
export interface StatUsage {
  minorFaults: number;
  childMinorFaults: number;
  majorFaults: number;
  childMajorFaults: number;
  userTicks: number;
  systemTicks: number;
  childUserTicks: number;
  childSystemTicks: number;
}

export function parseStatUsage(text: string): Parsed<StatUsage> {
  // Fields 10-17.
  const fields = numericFields(text, 10, 8);
  if (!fields.ok) return fields;
  const [minorFaults, childMinorFaults, majorFaults, childMajorFaults, userTicks, systemTicks, childUserTicks, childSystemTicks] = fields.value;
  return parsed({ minorFaults, childMinorFaults, majorFaults, childMajorFaults, userTicks, systemTicks, childUserTicks, childSystemTicks });
}

/** `count` whole-number fields of a stat line from field `first` on (fields count from 1, after the name as before it). */
function numericFields(text: string, first: number, count: number): Parsed<number[]> {
  const line = text.endsWith('\n') ? text.slice(0, -1) : text;
  const close = line.lastIndexOf(')');
  if (close < 0) return parseFailure('stat', 1, line, 'no "(comm)" field');
  // What follows the name starts at field 3.
  const fields = line.slice(close + 2).split(' ').slice(first - 3, first - 3 + count).map(Number);
  if (fields.length < count) return parseFailure('stat', 1, line, 'too few fields');
  if (!fields.every(Number.isSafeInteger)) return parseFailure('stat', 1, line, 'non-numeric field');
  return parsed(fields);
}

/** Fields 5-8 of /proc/PID/stat: process group, session, controlling terminal and its foreground group. */
export interface StatSession {
  pgrp: number;
  session: number;
  ttyNr: number;
  /** The foreground process group of the controlling terminal; -1 without one. */
  tpgid: number;
}

export function parseStatSession(text: string): Parsed<StatSession> {
  const fields = numericFields(text, 5, 4);
  if (!fields.ok) return fields;
  const [pgrp, session, ttyNr, tpgid] = fields.value;
  return parsed({ pgrp, session, ttyNr, tpgid });
}

/**
 * What of a process's stat changes when it execs, as one text to compare from
 * scan to scan: fields 26-28 (start of code, end of code, start of stack) and
 * 48-49 (where its arguments start and end, Linux 3.5+). A new program maps new
 * code, and a new stack at a random place (ASLR), so an exec changes them; a
 * process that only runs does not. The kernel shows them only to a reader that
 * may ptrace the process, and zeros to others: undefined then (and for a line
 * too short to hold them), since zeros would not tell an exec apart.
 */
export function execMarks(text: string): string | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  let field = 2; // the name ends field 2; field N starts after the space that ends field N - 1
  let codeStart = -1;
  let codeEnd = -1;
  let argsStart = -1;
  for (let index = close + 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 10) continue;
    if (field === 28) codeEnd = index;
    if (field === 49) {
      const marks = `${text.slice(codeStart, codeEnd)} ${text.slice(argsStart, index)}`;
      return /^0 0 0 0 0$/.test(marks) ? undefined : marks;
    }
    field++;
    if (field === 26) codeStart = index + 1;
    if (field === 48) argsStart = index + 1;
  }
  return undefined;
}
