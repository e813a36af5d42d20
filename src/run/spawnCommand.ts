import { spawn, type ChildProcess } from 'node:child_process';
import { moveSelfToCgroup, type RunCgroup } from '../cgroups/runCgroup.js';
import { describeExecFailure, NOT_FOUND_CODE } from '../kernel/files/fileErrors.js';

/** The entry of CMD's environment that a process which left the tree is followed by. */
export const RUN_MARKER_VARIABLE = 'FOOTPRINT_RUN';

/**
 * CMD could not be started: 127 when it was not found, 126 when it could not be executed (as shells say).
 * `command` is the user's text, raw: the command layer shows it escaped.
 */
export class CommandNotRun extends Error {
  override name = 'CommandNotRun';
  constructor(readonly command: string, readonly reason: string, readonly exitCode: number) {
    super(`cannot run ${command === '' ? "''" : command}: ${reason}`);
  }
}

export function describeSpawnError(command: string, code: string | undefined): CommandNotRun {
  const [words, exitCode] = describeExecFailure(code);
  return new CommandNotRun(command, words, exitCode);
}

export type CommandEnd = { code: number | null; signal: NodeJS.Signals | null; ms: number } | { error: NodeJS.ErrnoException };

export interface SpawnedCommand {
  child: ChildProcess;
  /** CMD's end (its time from `now`), or why it could not start. */
  ended: Promise<CommandEnd>;
  /**
   * Once CMD's output has all been passed on: its pipes reach their end (unless a process it
   * left behind holds them open; then footprint stops passing them on soon after CMD ends).
   */
  outputDone: Promise<void>;
}

/**
 * Starts CMD with footprint's stdin, and its stdout and stderr (or pipes, for
 * --mark), marked in its environment with `marker`. CMD inherits the cgroup of
 * the process that forks it: `cgroup` is the run's, which footprint stepped
 * into for the spawn and steps out of here, whether the spawn worked or not.
 * `justBefore` runs right before the spawn (where run's clock starts).
 */
export function spawnCommand(
  command: readonly string[], options: { pipeOutput: boolean; marker: string; cgroup?: RunCgroup; now: () => number; justBefore: () => void },
): SpawnedCommand {
  let child: ChildProcess;
  try {
    // Node refuses an empty file name before any exec (ERR_INVALID_ARG_VALUE, thrown): a shell finds no such command.
    if (command[0] === '') throw describeSpawnError('', NOT_FOUND_CODE);
    options.justBefore();
    child = spawn(command[0], command.slice(1), {
      stdio: options.pipeOutput ? ['inherit', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, [RUN_MARKER_VARIABLE]: options.marker },
    });
  } catch (error) {
    // Node emits ENOENT and EACCES as 'error' events but throws others of execve's (ENOTDIR, ELOOP, …).
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) throw describeSpawnError(command[0], code);
    throw error;
  } finally {
    if (options.cgroup !== undefined) moveSelfToCgroup(options.cgroup, options.cgroup.home);
  }
  const ended = new Promise<CommandEnd>((resolve) => {
    child.once('error', (error) => resolve({ error }));
    child.once('exit', (code, signal) => resolve({ code, signal, ms: options.now() }));
  });
  const outputDone = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return { child, ended, outputDone };
}
