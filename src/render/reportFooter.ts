import type { ReportView } from '../reduce/buildReport.js';
import { formatBytes, type Unit } from './units.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 'es'}`;
}

/**
 * The line that says what the table leaves out and why. Kernel threads and
 * zombies hold no user memory, so they are counted but are not a loss.
 */
export function renderCoverageLine(view: ReportView): string {
  const { scan } = view.report;
  const parts: string[] = [];
  const deniedOthers = view.deniedOtherUsers;
  const deniedOwn = scan.denied - deniedOthers;
  const estimated = scan.estimated;
  if (deniedOthers > 0) {
    parts.push(estimated > 0
      ? `${plural(deniedOthers, 'process')} of other users not readable, estimated from /proc/PID/status (marked ~)`
      : `${plural(deniedOthers, 'process')} of other users not readable; run as root, or --estimate`);
  }
  if (deniedOwn > 0) {
    parts.push(`${plural(deniedOwn, 'process')} not readable even by this user (ptrace restrictions)${estimated > 0 && deniedOthers === 0 ? ', estimated (marked ~)' : ''}`);
  }
  if (scan.gone > 0) parts.push(`${plural(scan.gone, 'process')} exited during the scan`);
  if (view.selfPid !== undefined) parts.push(`footprint itself (PID ${view.selfPid}) left out`);
  const quiet = `${scan.kernelThreads} kernel thread${scan.kernelThreads === 1 ? '' : 's'} and ${scan.zombies} zombie${scan.zombies === 1 ? '' : 's'} hold no user memory`;
  const lead = parts.length === 0 ? 'Nothing left out' : `Left out: ${parts.join('; ')}`;
  return `${lead}. ${quiet}; ${scan.measured} of ${scan.seen} processes measured in ${scan.ms} ms.`;
}

/** Sets the measured total against /proc/meminfo and names the largest parts no measured process holds. */
export function renderSystemLine(view: ReportView, units: Unit): string {
  const { system } = view.report;
  const fmt = (bytes: number) => formatBytes(bytes, units);
  let line = `System: ${fmt(system.used)} used of ${fmt(system.memTotal)} (MemTotal - MemAvailable); `
    + `the processes measured hold ${fmt(system.accounted)}`;
  const rest = system.used - system.accounted;
  const parts = view.unaccounted.slice(0, 3).map((part) => `${fmt(part.bytes)} ${part.label}`);
  if (rest > 0 && parts.length > 0) line += `; of the other ${fmt(rest)}: ${parts.join(', ')}`;
  return `${line}.`;
}
