import { RUN_SCHEMA, type RunDocument } from '../model/run.js';

export type RunDocumentCheck = { ok: true; run: RunDocument } | { ok: false; reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

/** Checks that a parsed JSON value is a footprint.run/1 document, as far as `diff` relies on it. */
export function checkRunDocument(value: unknown): RunDocumentCheck {
  if (!isObject(value) || value.schema !== RUN_SCHEMA) return { ok: false, reason: `not a ${RUN_SCHEMA} document` };
  if (!Array.isArray(value.command) || !value.command.every((arg) => typeof arg === 'string')) return { ok: false, reason: 'run has no "command" list' };
  const peak = value.peak;
  const end = value.end;
  const faults = value.faults;
  if (!isObject(peak) || !isCount(peak.writable)) return { ok: false, reason: '"peak.writable" is not a whole number of bytes' };
  if (!isObject(end) || !isCount(end.writable)) return { ok: false, reason: '"end.writable" is not a whole number of bytes' };
  if (!isObject(faults) || !isCount(faults.minor) || !isCount(faults.major)) return { ok: false, reason: '"faults" are not whole numbers' };
  if (!isCount(value.wallMs)) return { ok: false, reason: '"wallMs" is not a whole number' };
  // Fields newer footprints add (footprint.run/1 only grows): absent in older documents, checked where present.
  const sampling = value.sampling;
  if (sampling !== undefined && (!isObject(sampling) || !['samples', 'longestGapMs', 'medianGapMs', 'probes'].every((key) => isCount(sampling[key])))) {
    return { ok: false, reason: '"sampling" does not hold whole numbers' };
  }
  const kernel = value.kernel;
  if (kernel !== undefined && !isObject(kernel)) return { ok: false, reason: '"kernel" is not an object' };
  if (isObject(kernel) && kernel.cgroup !== undefined && (!isObject(kernel.cgroup) || !isCount(kernel.cgroup.peak))) {
    return { ok: false, reason: '"kernel.cgroup.peak" is not a whole number of bytes' };
  }
  if (value.followed !== undefined && !isCount(value.followed)) return { ok: false, reason: '"followed" is not a whole number' };
  return { ok: true, run: value as unknown as RunDocument };
}
