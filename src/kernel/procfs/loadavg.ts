import { parsed, parseFailure, type Parsed } from './parseResult.js';

/**
 * The kernel's count of tasks from /proc/loadavg's fourth field ("running/total"):
 * every thread of every process, kernel threads included (nr_threads; the idle
 * tasks, PID 0, are not in it). It is the whole machine's, whatever a pid
 * namespace or hidepid shows.
 */
export function parseLoadavgTasks(text: string): Parsed<number> {
  const fields = text.trim().split(' ');
  const match = /^\d{1,10}\/(\d{1,10})$/.exec(fields[3] ?? '');
  if (fields.length !== 5 || match === null) return parseFailure('loadavg', 1, text.trim(), 'expected "L1 L5 L15 RUNNING/TOTAL LASTPID"');
  return parsed(Number(match[1]));
}
