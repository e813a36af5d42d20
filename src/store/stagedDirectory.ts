import { lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isProcessAlive } from '../kernel/isProcessAlive.js';
import { storeDirectoryProblem } from './ownDirectory.js';
import { UnwritablePlace } from './writablePlace.js';

/** Staging folders are hidden and carry the writer's PID, so a later run can tell a dead writer's leftovers. */
const STAGE_PATTERN = /^\.footprint-stage-(\d+)-[0-9a-f]+$/;


/**
 * A tree of many files (a capture) written so that it is never seen half
 * written: into a hidden folder beside its place (same file system), whose
 * parts are then renamed into place (rename replaces an empty directory), so a
 * capture killed or failing midway leaves no DIR/proc at all, only a hidden
 * folder, which the next capture into DIR removes once its writer is gone.
 */
export class StagedDirectory {
  private constructor(readonly dir: string, readonly stage: string) {}

  /**
   * Makes the hidden folder in `dir` (which must exist), after removing those of
   * writers since gone. `dir` must be one no other user can rearrange
   * (storeDirectoryProblem, else UnwritablePlace): the folder is made new by
   * mkdir (which fails on anything at its name, a link included), and only
   * leftover folders of footprint's own user are removed.
   */
  static begin(dir: string): StagedDirectory {
    const problem = storeDirectoryProblem(dir);
    if (problem !== undefined) throw new UnwritablePlace(problem);
    for (const name of readdirSync(dir)) {
      const match = STAGE_PATTERN.exec(name);
      if (match !== null && Number(match[1]) !== process.pid && !isProcessAlive(Number(match[1])) && isOwnDirectory(join(dir, name))) {
        rmSync(join(dir, name), { recursive: true, force: true });
      }
    }
    const stage = join(dir, `.footprint-stage-${process.pid}-${randomBytes(6).toString('hex')}`);
    mkdirSync(stage, { mode: 0o755 });
    return new StagedDirectory(dir, stage);
  }

  /** Where a part is written before it is put in place. */
  part(name: string): string {
    return join(this.stage, name);
  }

  /** Renames each part written into place (DIR/NAME, absent or empty), then removes the hidden folder. */
  commit(names: readonly string[]): void {
    for (const name of names) if (isPresent(this.part(name))) renameSync(this.part(name), join(this.dir, name));
    rmdirSync(this.stage);
  }

  /** Removes the hidden folder and what was written into it (after a failure). */
  discard(): void {
    rmSync(this.stage, { recursive: true, force: true });
  }
}

/** A directory (not a link to one) of footprint's own user: a dead writer's leftover, not a name someone else put there. */
function isOwnDirectory(path: string): boolean {
  try {
    const stats = lstatSync(path);
    return stats.isDirectory() && stats.uid === (process.geteuid?.() ?? 0);
  } catch {
    return false;
  }
}

function isPresent(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
