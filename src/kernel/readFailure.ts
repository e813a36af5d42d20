import { isErrnoError, isLinkLoop, isMissing, isNoSuchProcess, isNotDirectory, isNotPermitted } from './files/fileErrors.js';

/**
 * The one place that turns file-system errors from /proc into reasons (through
 * the one errno table, files/fileErrors.ts).
 * Everything a scan meets is one of these; only `fatal` is unexpected.
 */
export type ReadFailureReason =
  /** EACCES/EPERM: another user's process, or ptrace rules even for root. */
  | 'denied'
  /** ENOENT: no such process (or, with the process still there, no such file). */
  | 'missing'
  /** ESRCH: the process exited while being read, or has no memory (kernel thread, zombie). */
  | 'exited'
  /**
   * What a captured tree can hold and /proc never does: a symlink loop (ELOOP),
   * a FIFO, device or socket where a file belongs, a file over its size cap.
   * That process is left out as malformed.
   */
  | 'malformed'
  | 'fatal';

export interface ReadFailure {
  ok: false;
  reason: ReadFailureReason;
  /** The errno name, e.g. "EACCES", kept for messages; for a malformed file, what is wrong with it. */
  code: string;
  path: string;
}

export function malformedFile(path: string, what: string): ReadFailure {
  return { ok: false, reason: 'malformed', code: what, path };
}

/** A read's error as its reason, by the one errno table (files/fileErrors.ts); what is not an errno error is a bug, thrown on. */
export function classifyReadError(error: unknown, path: string): ReadFailure {
  if (!isErrnoError(error)) throw error;
  const code = error.code;
  if (isNotPermitted(error)) return { ok: false, reason: 'denied', code, path };
  if (isMissing(error) || isNotDirectory(error)) return { ok: false, reason: 'missing', code, path };
  if (isNoSuchProcess(error)) return { ok: false, reason: 'exited', code, path };
  if (isLinkLoop(error)) return malformedFile(path, `a symbolic link loop (${code})`);
  return { ok: false, reason: 'fatal', code, path };
}

export function describeReadFailure(failure: ReadFailure): string {
  switch (failure.reason) {
    case 'denied': return `cannot read ${failure.path}: not permitted`;
    case 'missing': return `cannot read ${failure.path}: no such process or file`;
    case 'exited': return `cannot read ${failure.path}: the process has exited`;
    case 'malformed': return `cannot read ${failure.path}: ${failure.code}`;
    default: return `cannot read ${failure.path}: ${failure.code}`;
  }
}
