import type { CaptureArgs } from '../options/capture.js';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { captureCgroupTree, cgroupMountLines, type CgroupCapture } from '../../cgroups/captureCgroupTree.js';
import { locateHierarchy } from '../../cgroups/findHierarchy.js';
import { readLiveMountinfo } from '../../kernel/liveMountinfo.js';
import { captureProcTree } from '../../scan/captureProcTree.js';
import { openProcRoot } from '../../collect/machineContext.js';
import { readShmemInputs } from '../../collect/collectShmem.js';
import { tmpfsMountLines } from '../../holders/shmemObjects.js';
import { parsePidList } from '../values/report.js';
import { writeStdout } from '../output.js';
import { EXIT_OK, RuntimeFailure, UsageError } from '../../errors.js';
import { describeFileError, isErrnoError } from '../../kernel/files/fileErrors.js';
import { checkWritableDirectory, makeDirectories } from '../../store/writablePlace.js';
import { StagedDirectory } from '../../store/stagedDirectory.js';
import { writeOwnFile } from '../../store/writeFileAtomically.js';

export type { CaptureArgs };

export async function runCapture(args: CaptureArgs): Promise<number> {
  const target = `${args.dir}/proc`;
  const cgroupTarget = `${args.dir}/cgroup`;
  for (const place of [target, cgroupTarget]) {
    if (existsSync(place) && readdirSync(place).length > 0) throw new UsageError(`capture: ${place} already exists and is not empty`);
  }
  const pids = parsePidList(args.pid);
  // Made and checked before the scan: a read-only mount or a place under /proc fails at once, with its cause.
  let staged: StagedDirectory;
  try {
    makeDirectories(args.dir, 0o755);
    checkWritableDirectory(args.dir);
    staged = StagedDirectory.begin(args.dir);
  } catch (error) {
    throw new RuntimeFailure(`capture: cannot write into ${args.dir}: ${describeFileError(error)}`);
  }
  const sourceReader = openProcRoot(args.procRoot);
  const source = sourceReader.root;
  let scan;
  let cgroups: CgroupCapture | string;
  // Written into a hidden folder and renamed into place: a capture that fails or is killed midway leaves no DIR/proc.
  try {
    scan = captureProcTree(source, staged.part('proc'), {
      pids,
      estimate: false,
      cgroups: true,
      selfPid: args.procRoot === undefined ? process.pid : undefined,
    }, writeOwnFile, (reader, captured) => readShmemInputs(reader, { pids: captured, walkMounts: false }));
    cgroups = captureCgroups(args.procRoot, sourceReader.bindsProcesses, staged.part('proc'), staged.part('cgroup'));
    staged.commit(['proc', 'cgroup']);
  } catch (error) {
    staged.discard();
    if (isErrnoError(error)) throw new RuntimeFailure(`capture: cannot write into ${args.dir}: ${describeFileError(error)}`);
    throw error;
  }
  const { counts } = scan;
  if (!args.quiet) {
    writeStdout(`Captured ${counts.measured} process${counts.measured === 1 ? '' : 'es'} into ${target} (${counts.denied} not readable, ${counts.kernelThreads} kernel threads); read it with --proc-root ${target}\n`);
    writeStdout(typeof cgroups === 'string'
      ? `No cgroup files captured (${cgroups}): offline, cgroup charges, limits and members will be unknown.\n`
      : `Captured ${cgroups.cgroups} memory cgroup${cgroups.cgroups === 1 ? '' : 's'} (v${cgroups.version}) into ${cgroupTarget}; footprint cgroups --proc-root ${target} reads them${cgroups.leftOut > 0 ? ` (${cgroups.leftOut} left out past the walk's bound)` : ''}\n`);
  }
  return EXIT_OK;
}

/**
 * The memory hierarchy beside the processes, for `footprint cgroups` and the
 * report's cgroup columns offline, and the cgroup mounts' lines of mountinfo
 * (DIR/proc/self/mountinfo) that say where its top is, with the tmpfs mounts'
 * (for `footprint shmem --proc-root`). A source that is itself
 * a captured tree passes on the hierarchy captured with it. Returns why not, where none is found.
 */
function captureCgroups(procRoot: string | undefined, live: boolean, target: string, cgroupTarget: string): CgroupCapture | string {
  const mountinfo = live ? readLiveMountinfo() : undefined;
  const found = locateHierarchy(procRoot, live, mountinfo);
  if (!found.ok) return found.reason;
  const capture = captureCgroupTree(found, cgroupTarget, writeOwnFile);
  if (mountinfo !== undefined) {
    mkdirSync(`${target}/self`, { recursive: true });
    writeOwnFile(`${target}/self/mountinfo`, cgroupMountLines(mountinfo) + tmpfsMountLines(mountinfo));
  }
  return capture;
}
