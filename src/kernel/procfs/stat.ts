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

/** PF_KTHREAD from include/linux/sched.h: the task is a kernel thread. */
const PF_KTHREAD = 0x00200000;

export function isKernelThread(stat: ProcessStat): boolean {
  return (stat.flags & PF_KTHREAD) !== 0;
}

/**
 * A whole number of plain decimal digits at text[start, end) (a field of the
 * line), within Number's exact range; NaN for anything else: an empty field,
 * a sign, more than 16 digits (wholeNumber's rules, read in place).
 */
function wholeNumberAt(text: string, start: number, end: number): number {
  if (end <= start || end - start > 16) return NaN;
  let value = 0;
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return NaN;
    value = value * 10 + (code - 48);
  }
  return value <= Number.MAX_SAFE_INTEGER ? value : NaN;
}

/** A stat line that does not parse: the line (its text up to `end`, without the newline) and why. */
function statFailure(text: string, end: number, reason: string): Parsed<ProcessStat> {
  return parseFailure('stat', 1, text.slice(0, end), reason);
}

/**
 * Parses the fields footprint uses in one pass over the line, with no string
 * made of the fields it skips (a scan parses two stats per process, and serve
 * scans again and again). Fields are what split(' ') would make of the text
 * after the name: an empty one (two spaces) is a field, and not a number.
 */
export function parseStat(text: string): Parsed<ProcessStat> {
  const end = text.endsWith('\n') ? text.length - 1 : text.length;
  const open = text.indexOf(' (');
  // The name may itself contain ") ", so the last ')' closes it.
  const close = text.lastIndexOf(')', end - 1);
  if (open <= 0 || close < open) return statFailure(text, end, 'no "(comm)" field');
  // NaN: not digits, or digits past Number's exact range (refused below with the state).
  const pid = wholeNumberAt(text, 0, open);
  if (Number.isNaN(pid) && !/^\d+$/.test(text.slice(0, open))) return statFailure(text, end, 'PID is not a number');
  // Field N (from 3, the state) starts after the space that ends field N - 1, and ends at the next space or the line's end.
  let state = '';
  let ppid = NaN;
  let flags = NaN;
  let threads = NaN;
  let startTime = NaN;
  let rssPages = NaN;
  let field = 3;
  let start = close + 2;
  for (let index = start; index <= end && field <= 24; index++) {
    if (index < end && text.charCodeAt(index) !== 32) continue;
    switch (field) {
      case 3: state = start <= index ? text.slice(start, index) : ''; break;
      case 4: ppid = wholeNumberAt(text, start, index); break;
      case 9: flags = wholeNumberAt(text, start, index); break;
      case 20: threads = wholeNumberAt(text, start, index); break;
      case 22: startTime = wholeNumberAt(text, start, index); break;
      case 24: rssPages = wholeNumberAt(text, start, index); break;
    }
    field++;
    start = index + 1;
  }
  if (field <= 24) return statFailure(text, end, 'too few fields');
  // Number('') is 0 and Number('-5') is -5: each field must be plain digits, or the process is malformed.
  if (Number.isNaN(ppid) || Number.isNaN(flags) || Number.isNaN(threads) || Number.isNaN(startTime) || Number.isNaN(rssPages)) {
    return statFailure(text, end, 'non-numeric field');
  }
  if (Number.isNaN(pid) || state.length !== 1) return statFailure(text, end, 'bad PID or state');
  return parsed({ pid, comm: text.slice(open + 2, close), state, ppid, flags, startTime, rssPages, threads });
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
