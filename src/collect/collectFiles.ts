import { SmapsSumsParser, type MappingSums } from '../kernel/procfs/smapsSums.js';
import { parseStatus, type ProcessStatus } from '../kernel/procfs/status.js';
import { isKernelThread } from '../kernel/procfs/stat.js';
import type { ProcReader } from '../kernel/procReader.js';
import type { ReadFailure } from '../kernel/readFailure.js';
import { FileUsageSum, type FileGrouping, type FileUsage } from '../holders/fileUsage.js';
import type { ProcessCoverage } from '../holders/coverage.js';
import { needsCommandLine, programName } from '../reduce/programName.js';
import { readProcessIdentity } from '../scan/readProcessIdentity.js';
import { fatal, holdStat, isUnexpected, MalformedProcess, stillSameProcess, unparsable, type HeldStat } from '../scan/readStat.js';
import { listProcesses } from '../scan/scanProcesses.js';

/** Which processes `footprint files` reads, and how its rows are keyed. */
export interface FilesRequest {
  grouping: FileGrouping;
  /** -p: only these PIDs. */
  pids?: number[];
  /** -u: only processes of this real UID. */
  uid?: number;
  /** footprint itself, left out (its own mappings are not the machine's). */
  selfPid?: number;
}

export interface FilesCollection {
  usage: FileUsage;
  coverage: ProcessCoverage;
}

/** Why a process chosen was not summed; kernel threads, zombies and other users' processes under -u are not "left out": they have no mappings to give, or were not asked for. */
type LeftOut = 'denied' | 'gone' | 'malformed';
type Outcome = { kind: 'read' } | { kind: 'none' } | { kind: LeftOut };

const LEFT_OUT_ORDER: readonly LeftOut[] = ['denied', 'gone', 'malformed'];

/**
 * `footprint files`' reads: each process's full smaps, parsed piece by piece
 * as ProcReader.readLines hands them over (one reused buffer, the file's cap),
 * for what the rows sum only (SmapsSumsParser),
 * and summed into FileUsageSum once the whole file was read and the process is
 * still the one whose stat was held. A process's mappings are kept only until
 * then (one process's, never the machine's), so that one exiting mid-read adds
 * nothing: it is counted "gone", and the scan goes on.
 */
export function collectFiles(reader: ProcReader, request: FilesRequest): FilesCollection {
  const sum = new FileUsageSum(request.grouping);
  const counts: Record<LeftOut, number> = { denied: 0, gone: 0, malformed: 0 };
  const pending: MappingSums[] = [];
  let read = 0;
  for (const pid of listProcesses(reader, { pids: request.pids, estimate: false, cgroups: false })) {
    if (pid === request.selfPid) continue;
    const outcome = readOne(reader, pid, request, sum, pending);
    pending.length = 0;
    if (outcome.kind === 'read') read++;
    else if (outcome.kind !== 'none') counts[outcome.kind]++;
  }
  return {
    usage: sum.result(),
    coverage: { read, skipped: LEFT_OUT_ORDER.map((reason) => ({ reason, count: counts[reason] })) },
  };
}

function readOne(reader: ProcReader, pid: number, request: FilesRequest, sum: FileUsageSum, pending: MappingSums[]): Outcome {
  try {
    const held = holdStat(reader, pid);
    if ('ok' in held) return leftOutFor(held);
    try {
      return readHeld(reader, pid, held, request, sum, pending);
    } catch (error) {
      // A process that exits while it is read may leave text cut short: gone, not malformed.
      if (error instanceof MalformedProcess && reader.bindsProcesses && stillSameProcess(reader, held) !== 'same') return { kind: 'gone' };
      throw error;
    } finally {
      reader.close(held.file);
    }
  } catch (error) {
    if (error instanceof MalformedProcess) return { kind: 'malformed' };
    throw error;
  }
}

/** A failure that is not the process's fault (EIO, a crafted tree) stops the command; the rest are a process left out. */
function leftOutFor(failure: ReadFailure): Outcome {
  if (isUnexpected(failure)) fatal(failure);
  return { kind: failure.reason === 'denied' ? 'denied' : 'gone' };
}

function readHeld(reader: ProcReader, pid: number, held: HeldStat, request: FilesRequest, sum: FileUsageSum, pending: MappingSums[]): Outcome {
  const { stat } = held;
  // Kernel threads and zombies have no user mappings: nothing to sum, nothing left out.
  if (isKernelThread(stat) || stat.state === 'Z' || stat.state === 'X') return { kind: 'none' };
  // status only where it is needed (-u's UID, a program's name): one read and parse fewer per process otherwise.
  const named = request.grouping.byProgram;
  let status: ProcessStatus | undefined;
  if (named || request.uid !== undefined) {
    const statusText = reader.read(`${pid}/status`);
    if (!statusText.ok) return leftOutFor(statusText);
    const parsedStatus = parseStatus(statusText.text);
    if (!parsedStatus.ok) unparsable(reader, pid, parsedStatus.error);
    status = parsedStatus.value;
    if (request.uid !== undefined && status.uids[0] !== request.uid) return { kind: 'none' };
  }
  const parser = new SmapsSumsParser((mapping) => pending.push(mapping));
  const smaps = reader.readLines(`${pid}/smaps`, (text) => parser.push(text));
  if (!smaps.ok) {
    if (isUnexpected(smaps)) fatal(smaps);
    if (stillSameProcess(reader, held) !== 'same' || smaps.reason === 'exited') return { kind: 'gone' };
    // A captured tree holds no smaps for what its capturer could not read: that is what denied is live.
    return { kind: smaps.reason === 'denied' || !reader.bindsProcesses ? 'denied' : 'gone' };
  }
  const finished = parser.finish();
  if (!finished.ok) unparsable(reader, pid, finished.error);
  // Rows keyed by file alone need no program: its exe and command line are not read.
  const program = named && status !== undefined ? nameOf(reader, pid, held, status) : '';
  if (stillSameProcess(reader, held) !== 'same') return { kind: 'gone' };
  if (pending.length === 0) return { kind: 'none' };
  sum.beginProcess({ pid, program });
  for (const mapping of pending) sum.add(mapping);
  return { kind: 'read' };
}

/** The report's group key (reduce/programName.ts): exe's basename, an interpreter's script. */
function nameOf(reader: ProcReader, pid: number, held: HeldStat, status: ProcessStatus): string {
  return programName(readProcessIdentity(reader, pid, held.stat, status, { cgroups: false, oomScores: false, needsCmdline: needsCommandLine }));
}
