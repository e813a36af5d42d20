import { parsed, parseFailure, type Parsed } from '../procfs/parseResult.js';

/** PIDs above this are not PIDs (PID_MAX_LIMIT is 2^22). */
const PID_MAX_LIMIT = 4_194_304;

/** cgroup.procs: one PID per line, the cgroup's own member processes (not its descendants'). */
export function parseCgroupProcs(text: string): Parsed<number[]> {
  const pids: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    if (!/^\d{1,7}$/.test(line) || Number(line) <= 0 || Number(line) > PID_MAX_LIMIT) return parseFailure('cgroup.procs', i + 1, line, 'expected a PID');
    pids.push(Number(line));
  }
  return parsed(pids);
}
