import { accessSync, constants, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { fileErrorCode, isBusy, isMissing } from './files/fileErrors.js';

/**
 * Changes to the live cgroup tree: making a cgroup, moving a task into it,
 * removing it (run's own cgroup). I/O, no policy: which cgroup, when and how
 * often is the caller's (src/cgroups/runCgroup.ts). Its files are read through
 * CgroupReader, bounded, like every other cgroup file.
 */

/** Why a change was refused: the errno name (else the error's message), and whether the cgroup was gone or still busy. */
export interface CgroupRefusal {
  code: string;
  gone: boolean;
  busy: boolean;
}

function refusal(error: unknown): CgroupRefusal {
  return { code: fileErrorCode(error) ?? (error as Error).message, gone: isMissing(error), busy: isBusy(error) };
}

/** Whether footprint may make cgroups in `dir` (write access to the directory); why not. */
export function checkMayMakeCgroupIn(dir: string): CgroupRefusal | undefined {
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (error) {
    return refusal(error);
  }
}

/** Whether the cgroup file at `path` is there to be read (a controller's file appears only where the controller is enabled). */
export function hasCgroupFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** mkdir of a cgroup: the kernel fills it with its controllers' files. */
export function makeCgroup(dir: string): CgroupRefusal | undefined {
  try {
    mkdirSync(dir);
    return undefined;
  } catch (error) {
    return refusal(error);
  }
}

/** rmdir of a cgroup: refused (busy) while it holds a task. */
export function removeCgroup(dir: string): CgroupRefusal | undefined {
  try {
    rmdirSync(dir);
    return undefined;
  } catch (error) {
    return refusal(error);
  }
}

/** Writes `text` to a cgroup's control file (`tasks`, `cgroup.procs`): one write, as the kernel takes it. */
export function writeCgroupFile(path: string, text: string): CgroupRefusal | undefined {
  try {
    writeFileSync(path, text);
    return undefined;
  } catch (error) {
    return refusal(error);
  }
}
