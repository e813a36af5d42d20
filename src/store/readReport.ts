import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Report } from '../model/report.js';
import { UsageError } from '../cli/errors.js';
import { checkReport } from './validateReport.js';
import { describeFileError } from './fileErrors.js';

/** A file that cannot be used as a report; the message names it. Exit 2 where it stops a command. */
export class BadReportFile extends UsageError {
  override name = 'BadReportFile';
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
  }
}

export type ReportRead = { ok: true; report: Report } | { ok: false; reason: string };

/** Decodes the bytes of a .json or .json.gz report (gzip is recognised by its magic number, not the name). */
export function decodeReport(data: Buffer): ReportRead {
  let text: string;
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      text = gunzipSync(data, { chunkSize: outputSizeHint(data) }).toString('utf8');
    } catch (error) {
      return { ok: false, reason: `corrupt or truncated gzip (${(error as Error).message})` };
    }
  } else {
    text = data.toString('utf8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  return checkReport(value);
}

/**
 * A gzip member ends with its uncompressed size (mod 2^32): inflating into one
 * buffer of that size is much faster than growing 16 KiB chunks. Only a hint,
 * bounded, since the file may lie.
 */
function outputSizeHint(data: Buffer): number {
  const size = data.length >= 18 ? data.readUInt32LE(data.length - 4) : 0;
  // Deflate packs at most ~1032:1, so a claim beyond that is a lie: then grow as usual.
  return Math.max(16 * 1024, Math.min(size + 1, data.length * 1032, 64 * 1024 * 1024));
}

/** Reads one report or returns why it cannot be used. */
export function tryReadReport(path: string): ReportRead {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    return { ok: false, reason: `cannot read: ${describeFileError(error)}` };
  }
  return decodeReport(data);
}

export function readReport(path: string): Report {
  const result = tryReadReport(path);
  if (!result.ok) throw new BadReportFile(path, result.reason);
  return result.report;
}
