import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { ProcReader, type ReadRecorder } from '../kernel/procReader.js';
import { scanProcesses, type ScanOptions } from './scanProcesses.js';
import type { ScanResult } from '../model/processSample.js';

/** Files outside any PID that footprint reads. */
const SYSTEM_FILES = ['meminfo', 'zoneinfo', 'sys/kernel/hostname', 'sys/kernel/osrelease'];

/** Writes one captured file: the store's writer for a folder footprint made (writeOwnFile), given by the command. */
export type CapturedFileWriter = (path: string, text: string) => void;

/**
 * Copies exactly the /proc files a report and `show` read into `target`
 * (DIR/proc), by recording every read of a real scan, plus each measured
 * process's full smaps for `show`. Each file is written by `writeFile`.
 */
export function captureProcTree(
  sourceRoot: string, target: string, options: ScanOptions, writeFile: CapturedFileWriter,
  /** More reads to record, of the processes captured (`footprint shmem`'s). */
  alsoRead?: (reader: ProcReader, pids: readonly number[]) => void,
): ScanResult {
  const recorder: ReadRecorder = (relative, content) => {
    const path = `${target}/${relative}`;
    mkdirSync(dirname(path), { recursive: true });
    if ('text' in content) writeFile(path, content.text);
    else {
      rmSync(path, { force: true });
      symlinkSync(content.link, path);
    }
  };
  const reader = new ProcReader(sourceRoot, recorder);
  for (const file of SYSTEM_FILES) reader.read(file);
  // Everything a later report might ask of the tree: UIDs, cgroups, every command line.
  const scan = scanProcesses(reader, { ...options, cgroups: true, uids: true, needsCmdline: undefined });
  // `show` reads smaps for every process, kernel threads and zombies too (theirs is
  // empty, which is how show tells them apart): take it wherever the kernel lets us.
  const recorded = new ProcReader(target).listPids();
  if (Array.isArray(recorded)) for (const pid of recorded) reader.read(`${pid}/smaps`);
  if (alsoRead !== undefined && Array.isArray(recorded)) alsoRead(reader, recorded);
  // A process that exited mid-scan left some files behind; offline it would look
  // unreadable rather than gone, so its folder goes.
  const live = new ProcReader(sourceRoot);
  const kept = new Set(scan.samples.map((sample) => sample.pid));
  const listed = new ProcReader(target).listPids();
  if (Array.isArray(listed)) {
    for (const pid of listed) {
      if (!kept.has(pid) && !live.read(`${pid}/stat`).ok) {
        rmSync(`${target}/${pid}`, { recursive: true, force: true });
      }
    }
  }
  return scan;
}
