import { SmapsParser, type SmapsMapping } from '../kernel/procfs/smaps.js';
import { parseStatus } from '../kernel/procfs/status.js';
import { isKernelThread } from '../kernel/procfs/stat.js';
import type { ProcReader } from '../kernel/procReader.js';
import { readProcessIdentity, type ProcessIdentity } from './readProcessIdentity.js';
import { fatal, holdStat, isUnexpected, stillSameProcess, unparsable, type HeldStat } from './readStat.js';
import type { ReadFailure } from '../kernel/readFailure.js';
import type { Unreadable } from './unreadable.js';

export type MappingsRead =
  | { ok: true; identity: ProcessIdentity; mappings: SmapsMapping[] }
  | { ok: false; reason: Unreadable; path: string };

function notReadable(failure: ReadFailure): MappingsRead {
  if (isUnexpected(failure)) fatal(failure);
  return { ok: false, reason: failure.reason === 'denied' ? 'denied' : 'no-such-process', path: failure.path };
}

/**
 * Every mapping of one process (its full smaps), with who the process is. With
 * `onMapping`, each is handed over as it is read and none is kept (`mappings`
 * is empty): a process may have 65,530 of them, and a caller that sums them
 * needs one at a time. What is handed over counts only when the read is ok.
 */
export function readProcessMappings(reader: ProcReader, pid: number, onMapping?: (mapping: SmapsMapping) => void): MappingsRead {
  const held = holdStat(reader, pid);
  if ('ok' in held) return notReadable(held);
  try {
    return readHeld(reader, pid, held, onMapping);
  } finally {
    reader.close(held.file);
  }
}

function readHeld(reader: ProcReader, pid: number, held: HeldStat, onMapping?: (mapping: SmapsMapping) => void): MappingsRead {
  const { stat } = held;
  if (stat.state === 'Z' || stat.state === 'X') return { ok: false, reason: 'zombie', path: reader.path(`${pid}`) };
  const statusText = reader.read(`${pid}/status`);
  if (!statusText.ok) return notReadable(statusText);
  const status = parseStatus(statusText.text);
  if (!status.ok) unparsable(reader, pid, status.error);
  // Parsed as it is read: 65,530 mappings are 45 MB of text, never held whole.
  const parser = new SmapsParser(onMapping);
  const smaps = reader.readLines(`${pid}/smaps`, (text) => parser.push(text));
  if (!smaps.ok) {
    const now = stillSameProcess(reader, held);
    if (now !== 'same') return { ok: false, reason: now === 'zombie' ? 'zombie' : 'no-such-process', path: smaps.path };
    // A captured tree holds no smaps for what the capture could not read.
    return notReadable(smaps.reason === 'missing' ? { ...smaps, reason: 'denied' } : smaps);
  }
  const mappings = parser.finish();
  if (!mappings.ok) unparsable(reader, pid, mappings.error);
  const identity = readProcessIdentity(reader, pid, stat, status.value, { cgroups: false });
  if (stillSameProcess(reader, held) !== 'same') return { ok: false, reason: 'no-such-process', path: reader.path(`${pid}`) };
  if (parser.count === 0 && isKernelThread(stat)) return { ok: false, reason: 'kernel-thread', path: reader.path(`${pid}`) };
  return { ok: true, identity, mappings: mappings.value };
}
