import { parseStat, type ProcessStat } from '../kernel/procfs/stat.js';
import type { ParseError } from '../kernel/procfs/parseResult.js';
import type { OpenProcFile, ProcReader } from '../kernel/procReader.js';
import { describeReadFailure, type ReadFailure } from '../kernel/readFailure.js';
import { RuntimeFailure } from '../errors.js';

/**
 * A /proc entry that could not be read for a reason no skip explains, or text we
 * cannot parse. A runtime failure as it is (one line, exit 1): no command wraps it.
 */
export class ScanFailure extends RuntimeFailure {
  override name = 'ScanFailure';
}

/**
 * One process whose files cannot be taken as they are (text that does not
 * parse, a count past any machine's, a FIFO or a symlink loop in a captured
 * tree): a whole-machine scan leaves that process out as malformed; a command
 * about that one process (show, run) fails with this one line.
 */
export class MalformedProcess extends ScanFailure {
  override name = 'MalformedProcess';
}

/** A read failure no skip explains (fatal), or a malformed file: thrown, never a guess. */
export function fatal(failure: ReadFailure): never {
  if (failure.reason === 'malformed') throw new MalformedProcess(describeReadFailure(failure));
  throw new ScanFailure(describeReadFailure(failure));
}

/** Whether fatal() is the answer to this failure, rather than a reason to skip the process. */
export function isUnexpected(failure: ReadFailure): boolean {
  return failure.reason === 'fatal' || failure.reason === 'malformed';
}

/**
 * Text we cannot parse: a crafted or broken file, or a kernel we do not
 * understand, so never a guess. The message names the file, line and reason,
 * not the line's text (which may be anything).
 */
export function unparsable(reader: ProcReader, pid: number, error: ParseError): never {
  throw new MalformedProcess(`${reader.path(String(pid))}/${error.file} line ${error.line}: ${error.reason}`);
}

/** A process's stat, read from a file kept open to check later that the process is still the same. */
export interface HeldStat {
  stat: ProcessStat;
  file: OpenProcFile;
  /** The text it was parsed from (for execMarks, where the scan keeps names: scan/knownNames.ts). */
  text: string;
}

function parseStatText(reader: ProcReader, pid: number, text: string): ProcessStat {
  const stat = parseStat(text);
  if (!stat.ok) unparsable(reader, pid, stat.error);
  return stat.value;
}

/** Reads /proc/PID/stat and keeps it open; the caller closes it (reader.close(held.file)). */
export function holdStat(reader: ProcReader, pid: number): HeldStat | ReadFailure {
  const opened = reader.open(`${pid}/stat`);
  if (!opened.ok) return opened;
  if (!opened.text.ok) {
    reader.close(opened.file);
    return opened.text;
  }
  try {
    return { stat: parseStatText(reader, pid, opened.text.text), file: opened.file, text: opened.text.text };
  } catch (error) {
    reader.close(opened.file);
    throw error;
  }
}

/**
 * The process read at holdStat() still holds its PID: not exited, not replaced.
 * The open stat file answers ESRCH once its process is gone, whoever has the PID
 * now; the start time is compared too, for captured trees, where files are files.
 */
export function stillSameProcess(reader: ProcReader, held: HeldStat): 'same' | 'gone' | 'zombie' {
  const again = reader.reread(held.file);
  if (!again.ok) return isUnexpected(again) ? fatal(again) : 'gone';
  if (again.text === '') return 'gone';
  const stat = parseStatText(reader, held.stat.pid, again.text);
  if (stat.startTime !== held.stat.startTime) return 'gone';
  return stat.state === 'Z' || stat.state === 'X' ? 'zombie' : 'same';
}
