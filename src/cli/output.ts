import { fs } from '../requireBuiltin.js';
import { isClosedPipe, isTryAgain } from '../kernel/files/fileErrors.js';
import { escapeText } from '../render/escapeText.js';

/** Thrown when stdout's reader has gone (`| head`): the run ends quietly. */
export class ClosedPipe extends Error {
  override name = 'ClosedPipe';
}

function writeAll(fd: number, text: string): void {
  let buffer = Buffer.from(text, 'utf8');
  while (buffer.length > 0) {
    try {
      const written = fs.writeSync(fd, buffer);
      buffer = buffer.subarray(written);
    } catch (error) {
      if (isTryAgain(error)) continue;
      if (isClosedPipe(error)) throw new ClosedPipe();
      throw error;
    }
  }
}

/** Sync writes: output is complete before the process exits, and EPIPE surfaces here. */
export function writeStdout(text: string): void {
  writeAll(1, text);
}

export function writeStderr(text: string): void {
  try {
    writeAll(2, text);
  } catch {
    // Nowhere left to report to.
  }
}

/**
 * False when fd 1 cannot be a terminal: not a character device (a pipe or a file),
 * or a memory device such as /dev/null (major 1). Touching process.stdout creates
 * a stream and loads Node's stream modules (8-20 ms at start-up), so callers ask
 * this first and look at process.stdout only when it may be a terminal.
 */
export function stdoutMayBeTerminal(): boolean {
  try {
    const stat = fs.fstatSync(1);
    return stat.isCharacterDevice() && Math.floor(stat.rdev / 256) % 4096 !== 1;
  } catch {
    return true; // cannot tell: let process.stdout decide, as before
  }
}

/** Colour and box-drawing only for a terminal, and never when NO_COLOR is set. */
export function isFancyOutput(env: NodeJS.ProcessEnv = process.env): boolean {
  return stdoutMayBeTerminal() && process.stdout.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

/** The terminal's width when stdout is one (text is fitted to it there), else undefined: a pipe gets lines whole. */
export function terminalWidth(): number | undefined {
  if (!stdoutMayBeTerminal() || process.stdout.isTTY !== true) return undefined;
  const columns = process.stdout.columns;
  return typeof columns === 'number' && columns > 0 ? columns : undefined;
}

/** The terminal's width when stderr is one (run's summary is written there), else undefined. */
export function stderrWidth(): number | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  const columns = process.stderr.columns;
  return typeof columns === 'number' && columns > 0 ? columns : undefined;
}

/**
 * "footprint: wrote PATH" on stderr, for a person at a terminal: a command
 * that writes a file says where. Off a terminal (cron, a timer, a script)
 * it stays silent, so that a job that worked mails nothing.
 */
export function noteWritten(path: string, what = 'wrote'): void {
  if (process.stderr.isTTY !== true) return;
  const absolute = path.startsWith('/') ? path : `${process.cwd()}/${path.replace(/^\.\//, '')}`;
  writeStderr(`footprint: ${what} ${escapeText(absolute)}\n`);
}
