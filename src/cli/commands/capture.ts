import type { CaptureArgs } from '../options/capture.js';
import { existsSync, readdirSync } from 'node:fs';
import { captureProcTree } from '../../scan/captureProcTree.js';
import { openProcRoot } from '../../collect/machineContext.js';
import { parsePidList } from '../reportOptions.js';
import { writeStdout } from '../output.js';
import { EXIT_OK, RuntimeFailure, UsageError } from '../../errors.js';
import { isErrnoError } from '../../scan/readFailure.js';
import { describeFileError } from '../../store/fileErrors.js';
import { checkWritableDirectory, makeDirectories } from '../../store/writablePlace.js';

export type { CaptureArgs };

export async function runCapture(args: CaptureArgs): Promise<number> {
  const target = `${args.dir}/proc`;
  if (existsSync(target) && readdirSync(target).length > 0) throw new UsageError(`capture: ${target} already exists and is not empty`);
  // Made and checked before the scan: a read-only mount or a place under /proc fails at once, with its cause.
  try {
    makeDirectories(target, 0o755);
    checkWritableDirectory(target);
  } catch (error) {
    throw new RuntimeFailure(`capture: cannot write into ${args.dir}: ${describeFileError(error)}`);
  }
  const source = openProcRoot(args.procRoot).root;
  let scan;
  try {
    scan = captureProcTree(source, target, {
      pids: parsePidList(args.pid),
      estimate: false,
      cgroups: true,
      selfPid: args.procRoot === undefined ? process.pid : undefined,
    });
  } catch (error) {
    if (isErrnoError(error)) throw new RuntimeFailure(`capture: cannot write into ${args.dir}: ${describeFileError(error)}`);
    throw error;
  }
  const { counts } = scan;
  if (!args.quiet) writeStdout(`Captured ${counts.measured} process${counts.measured === 1 ? '' : 'es'} into ${target} (${counts.denied} not readable, ${counts.kernelThreads} kernel threads); read it with --proc-root ${target}\n`);
  return EXIT_OK;
}
