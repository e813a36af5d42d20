import { parseStat, type ProcessStat } from '../procfs/stat.js';
import type { ProcReader } from './procReader.js';
import { describeReadFailure, type ReadFailure } from './readFailure.js';

/** A /proc entry that could not be read for a reason no skip explains, or text we cannot parse. */
export class ScanFailure extends Error {
  override name = 'ScanFailure';
}

export function fatal(failure: ReadFailure): never {
  throw new ScanFailure(describeReadFailure(failure));
}

export function readStat(reader: ProcReader, pid: number): ProcessStat | ReadFailure {
  const text = reader.read(`${pid}/stat`);
  if (!text.ok) return text;
  const stat = parseStat(text.text);
  // A stat line we cannot parse is a kernel we do not understand: never guess.
  if (!stat.ok) throw new ScanFailure(`${reader.path(`${pid}/stat`)}: ${stat.error.reason}`);
  return stat.value;
}

/** The same process still holds this PID: not exited, not replaced by a new one. */
export function stillSameProcess(reader: ProcReader, pid: number, first: ProcessStat): 'same' | 'gone' | 'zombie' {
  const again = readStat(reader, pid);
  if ('ok' in again) return again.reason === 'fatal' ? fatal(again) : 'gone';
  if (again.startTime !== first.startTime) return 'gone';
  return again.state === 'Z' || again.state === 'X' ? 'zombie' : 'same';
}

