import { parseSmaps, type SmapsMapping } from '../procfs/smaps.js';
import { parseStatus } from '../procfs/status.js';
import { isKernelThread } from '../procfs/stat.js';
import type { ProcReader } from './procReader.js';
import { readProcessIdentity, type ProcessIdentity } from './readProcessIdentity.js';
import { fatal, holdStat, isUnexpected, stillSameProcess, unparsable, type HeldStat } from './readStat.js';
import type { ReadFailure } from './readFailure.js';
import type { Unreadable } from './unreadable.js';

export type MappingsRead =
  | { ok: true; identity: ProcessIdentity; mappings: SmapsMapping[] }
  | { ok: false; reason: Unreadable; path: string };

function notReadable(failure: ReadFailure): MappingsRead {
  if (isUnexpected(failure)) fatal(failure);
  return { ok: false, reason: failure.reason === 'denied' ? 'denied' : 'no-such-process', path: failure.path };
}

/** Every mapping of one process (its full smaps), with who the process is. */
export function readProcessMappings(reader: ProcReader, pid: number): MappingsRead {
  const held = holdStat(reader, pid);
  if ('ok' in held) return notReadable(held);
  try {
    return readHeld(reader, pid, held);
  } finally {
    reader.close(held.file);
  }
}

function readHeld(reader: ProcReader, pid: number, held: HeldStat): MappingsRead {
  const { stat } = held;
  if (stat.state === 'Z' || stat.state === 'X') return { ok: false, reason: 'zombie', path: reader.path(`${pid}`) };
  const statusText = reader.read(`${pid}/status`);
  if (!statusText.ok) return notReadable(statusText);
  const status = parseStatus(statusText.text);
  if (!status.ok) unparsable(reader, pid, status.error);
  const smaps = reader.read(`${pid}/smaps`);
  if (!smaps.ok) {
    const now = stillSameProcess(reader, held);
    if (now !== 'same') return { ok: false, reason: now === 'zombie' ? 'zombie' : 'no-such-process', path: smaps.path };
    // A captured tree holds no smaps for what the capture could not read.
    return notReadable(smaps.reason === 'missing' ? { ...smaps, reason: 'denied' } : smaps);
  }
  const mappings = parseSmaps(smaps.text);
  if (!mappings.ok) unparsable(reader, pid, mappings.error);
  const identity = readProcessIdentity(reader, pid, stat, status.value, { cgroups: false });
  if (stillSameProcess(reader, held) !== 'same') return { ok: false, reason: 'no-such-process', path: reader.path(`${pid}`) };
  if (mappings.value.length === 0 && isKernelThread(stat)) return { ok: false, reason: 'kernel-thread', path: reader.path(`${pid}`) };
  return { ok: true, identity, mappings: mappings.value };
}
