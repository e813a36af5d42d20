import { gunzipSync } from 'node:zlib';
import type { Report } from '../model/report.js';
import { UsageError } from '../errors.js';
import { checkReport } from './validateReport.js';
import { checkRunDocument } from './validateRunDocument.js';
import type { RunDocument } from '../model/run.js';
import { DOCUMENT_CAP_BYTES, overCap, readBoundedFile } from './readBoundedFile.js';
import { jsonBudgetProblem } from './jsonBudget.js';

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
  const json = decodeJson(data);
  return json.ok ? checkReport(json.value) : json;
}

/**
 * The JSON value in a file's bytes, gzip'ed or not, or why there is none. The
 * text is capped as the file is: inflating stops at the cap (a gzip bomb of
 * 2 MB would make 2 GB), and a text too dense in values to parse safely is
 * refused (jsonBudget.ts). A reason never quotes the bytes: the file may be a
 * symbolic link to a secret (JSON.parse's own message shows the text).
 */
export function decodeJson(data: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  let bytes: Buffer;
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      bytes = gunzipSync(data, { chunkSize: outputSizeHint(data), maxOutputLength: DOCUMENT_CAP_BYTES });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, reason: overCap(DOCUMENT_CAP_BYTES, 'inflates to more than') };
      return { ok: false, reason: `corrupt or truncated gzip (${(error as Error).message.split('\n')[0]})` };
    }
  } else {
    if (data.length > DOCUMENT_CAP_BYTES) return { ok: false, reason: overCap(DOCUMENT_CAP_BYTES) };
    bytes = data;
  }
  const tooCostly = jsonBudgetProblem(bytes);
  if (tooCostly !== undefined) return { ok: false, reason: tooCostly };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch (error) {
    return { ok: false, reason: describeJsonError(error) };
  }
}

/** Where the JSON broke, without the text around it. */
function describeJsonError(error: unknown): string {
  const message = error instanceof Error || typeof (error as { message?: unknown })?.message === 'string' ? (error as Error).message : '';
  if (/end of JSON input/.test(message)) return 'not JSON (it ends too early)';
  const position = /at position (\d+)/.exec(message);
  return position ? `not JSON (at character ${position[1]})` : 'not JSON';
}

/**
 * A gzip member ends with its uncompressed size (mod 2^32): inflating into one
 * buffer of that size is much faster than growing 16 KiB chunks. Only a hint,
 * bounded, since the file may lie.
 */
function outputSizeHint(data: Buffer): number {
  const size = data.length >= 18 ? data.readUInt32LE(data.length - 4) : 0;
  // Deflate packs at most ~1032:1, so a claim beyond that is a lie: then grow as usual.
  return Math.max(16 * 1024, Math.min(size + 1, data.length * 1032, DOCUMENT_CAP_BYTES + 1));
}

/** Reads one report or returns why it cannot be used. */
export function tryReadReport(path: string): ReportRead {
  const read = readBoundedFile(path, DOCUMENT_CAP_BYTES);
  return read.ok ? decodeReport(read.data) : { ok: false, reason: read.reason };
}

/** A report or a run document (footprint.run/1), whichever the file holds; BadReportFile when neither. */
export function readDocument(path: string): { kind: 'report'; report: Report } | { kind: 'run'; run: RunDocument } {
  const read = readBoundedFile(path, DOCUMENT_CAP_BYTES);
  if (!read.ok) throw new BadReportFile(path, read.reason);
  const json = decodeJson(read.data);
  if (!json.ok) throw new BadReportFile(path, json.reason);
  const schema = (json.value as { schema?: unknown } | null)?.schema;
  if (typeof schema === 'string' && schema.startsWith('footprint.run/')) {
    const run = checkRunDocument(json.value);
    if (!run.ok) throw new BadReportFile(path, run.reason);
    return { kind: 'run', run: run.run };
  }
  const report = checkReport(json.value);
  if (!report.ok) throw new BadReportFile(path, report.reason);
  return { kind: 'report', report: report.report };
}

export function readReport(path: string): Report {
  const result = tryReadReport(path);
  if (!result.ok) throw new BadReportFile(path, result.reason);
  return result.report;
}
