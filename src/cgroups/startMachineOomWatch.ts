import { resolveReportDir } from '../store/reportDir.js';
import { findLiveHierarchy } from './liveHierarchy.js';
import { OomWatch } from './oomWatch.js';

/** The OOM watch of a long-running mode on this machine: its mounted memory hierarchy, /dev/kmsg where permitted, the report directory. */
export function startMachineOomWatch(who: string, dirOption: string | undefined, warn: (line: string) => void): OomWatch {
  return OomWatch.start({ dir: resolveReportDir(dirOption), who, warn, hierarchy: findLiveHierarchy() });
}
