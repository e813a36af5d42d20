import { closeSync, constants, fsyncSync, linkSync, lstatSync, openSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { requireBuiltin } from '../requireBuiltin.js';
import type { Report } from '../model/report.js';
import { isAlreadyThere, isHardLinkUnsupported } from '../kernel/files/fileErrors.js';
import { formatReportName } from './reportName.js';
import { writeFileAtomically } from './writeFileAtomically.js';
import { isProcessAlive } from '../kernel/isProcessAlive.js';

/** Temporary files are hidden and carry the writer's PID, so a later run can tell a dead writer's leftovers. */
const TEMP_PATTERN = /^\.footprint-(\d+)-[0-9a-f]+\.tmp$/;
const STALE_TEMP_MS = 3_600_000;

export class ReportWriteError extends Error {
  override name = 'ReportWriteError';
  constructor(readonly step: string, readonly path: string, override readonly cause: unknown) {
    super(`${step} ${path}`);
  }
}

export function encodeReport(report: Report): Buffer {
  // Loaded when a report is written, not with the code that may write one: serve (which saves one
  // before an OOM kill) weighs 2 MB less without node:crypto and node:zlib loaded (issue 24 item 4).
  const { gzipSync } = requireBuiltin('node:zlib') as typeof import('node:zlib');
  return gzipSync(`${JSON.stringify(report)}\n`);
}

/**
 * Writes `report` into `dir` as a new gzip file and returns its path. The data
 * goes to a hidden temporary file that is flushed to disk (writeFileAtomically) and then linked to
 * its final name: link() fails rather than overwrites when the name exists, so
 * two runs in the same second get `_2` instead of clobbering each other, and a
 * crash at any point leaves either no report or a complete one.
 */
export function writeReportAtomically(dir: string, report: Report, timeMs: number, named: { oom?: boolean } = {}): string {
  const data = encodeReport(report);
  const { randomBytes } = requireBuiltin('node:crypto') as typeof import('node:crypto');
  const tempPath = join(dir, `.footprint-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const finalPath = writeFileAtomically(join(dir, formatReportName(timeMs, 1, named.oom ?? false)), data, {
    mode: 0o600,
    tempPath,
    putInPlace: (temp) => linkToFreeName(dir, temp, timeMs, named.oom ?? false),
    failed: (step, error) => (step === 'create' ? new ReportWriteError('cannot create a file in', dir, error) : new ReportWriteError('cannot write', tempPath, error)),
  });
  syncDirectory(dir);
  return finalPath;
}

function linkToFreeName(dir: string, tempPath: string, timeMs: number, oom: boolean): string {
  for (let sequence = 1; sequence < 100_000; sequence++) {
    const finalPath = join(dir, formatReportName(timeMs, sequence, oom));
    try {
      linkSync(tempPath, finalPath);
      return finalPath;
    } catch (error) {
      if (isAlreadyThere(error)) continue;
      // File systems without hard links (vfat, some FUSE): rename, after checking the name is free.
      if (isHardLinkUnsupported(error)) {
        if (isTaken(finalPath)) continue;
        try {
          renameSync(tempPath, finalPath);
          return finalPath;
        } catch (renameError) {
          throw new ReportWriteError('cannot rename into', finalPath, renameError);
        }
      }
      throw new ReportWriteError('cannot create', finalPath, error);
    }
  }
  throw new ReportWriteError('no free report name in', dir, new Error('too many reports in one second'));
}

/** Whether anything is at `path`, a link to nothing included (lstat, not stat: a dangling link is a taken name). */
function isTaken(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Makes the new directory entry durable: without it a power cut can lose a renamed file. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    // O_DIRECTORY|O_NONBLOCK: whatever is at the name now, the open neither blocks nor opens a file.
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NONBLOCK);
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the data itself is already on disk.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Removes temporary files left by writers that were killed (their PID is gone, or they are an hour old). */
export function removeStaleTempFiles(dir: string, nowMs: number, listed?: readonly string[]): void {
  let names: readonly string[];
  try {
    names = listed ?? readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMP_PATTERN.exec(name);
    if (!match || Number(match[1]) === process.pid) continue;
    const path = join(dir, name);
    try {
      if (!isProcessAlive(Number(match[1])) || nowMs - lstatSync(path).mtimeMs > STALE_TEMP_MS) unlinkSync(path);
    } catch {
      // Removed by someone else meanwhile, or not ours to remove.
    }
  }
}

