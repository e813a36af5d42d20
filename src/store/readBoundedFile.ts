import type { Stats } from 'node:fs';
import { readRegularFile } from '../kernel/files/readRegularFile.js';
import { describeFileError, describeFileKind } from '../kernel/files/fileErrors.js';

const MIB = 1024 * 1024;

/**
 * The caps on what footprint reads back from disk. A report of 1,314 processes
 * grouped by PID (this machine with 1,000 extra `sleep`s) is 248 KB of JSON and
 * 13 KB of gzip; a run document keeps at most 1,024 samples and 1,000 marks of
 * 200 characters (~0.4 MB) plus its command line. 8 MiB is 33 times the
 * largest of these (about 44,000 groups), and a document of that size and
 * shape still fits the heap budget of a thread rebuilding the history index
 * (jsonBudget.ts). A crafted document at the cap parsed on the main thread
 * (diff) stays within a few hundred MB.
 */
export const DOCUMENT_CAP_BYTES = 8 * MIB;
/** A history index segment (one day's columns, deflated): ours, but a cache a user can break. */
export const SEGMENT_CAP_BYTES = 256 * MIB;

export type BoundedRead =
  | { ok: true; data: Buffer; stats: Stats }
  /** `stats` when the file was opened: what it is, even though it was not read. `code` from a failed open. */
  | { ok: false; reason: string; stats?: Stats; code?: string };

/** A saved report, run document or index segment (readRegularFile), with the store's wording of what went wrong. */
export function readBoundedFile(path: string, cap: number, buffer?: { bytes: Buffer }): BoundedRead {
  const read = readRegularFile(path, cap, buffer);
  if (read.ok) return read;
  switch (read.kind) {
    case 'open': return { ok: false, reason: `cannot read: ${describeFileError(read.error)}`, code: (read.error as { code?: string }).code };
    case 'notRegular': return { ok: false, reason: `not a regular file (${describeFileKind(read.stats!)})`, stats: read.stats };
    case 'overCap': return { ok: false, reason: overCap(cap), stats: read.stats };
    case 'read': return { ok: false, reason: `cannot read: ${describeFileError(read.error)}`, stats: read.stats };
  }
}

/** `larger than 8 MiB, …`: the reason a file (or, with `inflates to more than`, its gzip'ed text) is refused. */
export function overCap(cap: number, what = 'larger than'): string {
  const size = cap % MIB === 0 ? `${cap / MIB} MiB` : `${cap} bytes`;
  return `${what} ${size}, footprint's cap for a report or run document`;
}
